"""The movement's target groups (nhóm đối tượng, DOMAIN.md §2) by their names: one source for every page, table and
document that shows a group, so that people read "Cán bộ, công chức, viên chức, người lao động", not "d1"."""

from __future__ import annotations

TARGET_GROUPS: dict[str, str] = {
    "a": "Phòng, ban, ngành, thôn, xóm, tổ dân phố",
    "b": "Ủy ban MTTQ và các tổ chức chính trị - xã hội",
    "c": "Đơn vị sự nghiệp, doanh nghiệp, hợp tác xã",
    "d1": "Cán bộ, công chức, viên chức, người lao động",
    "d2": "Đối tượng khác (người dân, doanh nhân)",
}
_ENGLISH: dict[str, str] = {
    "a": "Departments, villages, residential groups",
    "b": "Fatherland Front and socio-political organisations",
    "c": "Public service units, enterprises, cooperatives",
    "d1": "Cadres, civil servants, public employees, workers",
    "d2": "Others (residents, entrepreneurs)",
}


def group_name(code: str | None, *, english: bool = False) -> str:
    """The group's name ("d1" → "Cán bộ, công chức, viên chức, người lao động"); an unknown code as it is, none as
    an empty string."""
    if not code:
        return ""
    return (_ENGLISH if english else TARGET_GROUPS).get(code, code)
