"""Reading a paged list of a service whole, page by page, up to a bound.

The services answer every list a page at a time (`page`, `page_size` ≤ 200; `items`, `total`). Most portal pages
show a page of it with the pager (`officer/_pager.html`). A few need every item of a small partition instead: the
candidates of a commune's period that a council session or a decision chooses from, the period's sessions,
decisions and proposals shown beside them, a commune's award history to publish from, the awards of the 20 dossiers
a results page shows. Those read here, 200 at a time, and stop at `MOST` items: more than a commune's period holds
(a commune of 400 dossiers), a bound on what one page of the portal may cost (five requests).
"""

from __future__ import annotations

from typing import Any

from portal.web import Page

PAGE_SIZE = 200  # the services' largest page
MOST = 1000


async def every(page: Page, service: str, path: str, *, most: int = MOST, **params: Any) -> list[dict[str, Any]]:
    """The items of the list at `path` (with `params` as its filters), in the service's order, at most `most`."""
    items: list[dict[str, Any]] = []
    number = 1
    while len(items) < most:
        listing = await page.get(service, path, **params, page=number, page_size=PAGE_SIZE)
        items.extend(listing["items"])
        if not listing["items"] or number * PAGE_SIZE >= int(listing["total"]):
            break
        number += 1
    return items[:most]


def last_page(total: int, page_size: int) -> int:
    """The number of the last page of `total` items shown `page_size` a page (1 when there are none)."""
    return max(1, -(-total // page_size))
