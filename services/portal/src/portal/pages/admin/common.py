"""What the administrator's pages share: the role's dependency and reading a number typed into a form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from portal.web import Page, role_page
from thidua_contracts.roles import Role

Admin = Annotated[Page, Depends(role_page(Role.PROVINCE_ADMIN))]


def number(text: str) -> Any:
    """A number typed in a form ("0,5" as Vietnamese writes it): None when empty; the text as it is when it is not a
    number, so the service names the field."""
    if not text:
        return None
    cleaned = text.replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in cleaned else value


def whole(text: str) -> Any:
    """A whole number typed in a form, with dots or spaces between thousands ("2.340.000"); None when empty; the text
    as it is when it is not one, so the service names the field."""
    if not text:
        return None
    cleaned = text.replace(" ", "").replace(".", "").replace(",", "")
    return int(cleaned) if cleaned.isdigit() else text
