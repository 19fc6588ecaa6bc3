"""Loads demo submissions for the demo province through the public APIs with real tokens.

Run by `deploy/stack up --demo`. Safe to run again: it adds a new set each time.
"""

from __future__ import annotations

import httpx

from thidua_shared.client import SERVICE_URLS, password_token

DEMO = {
    "lm.submitter": [
        ("Thôn Đông Hưng", "collective", "a", [("a3", 3, 40, 46, 50), ("a5", 3, 30, 9, 10), ("b2", 5, 30, 6, 8)]),
        ("Hội Liên hiệp Phụ nữ xã", "collective", "b", [("b1", 1, 50, 10, 12), ("b2", 5, 50, 7, 10)]),
        ("Nguyễn Thị Hoa", "individual", "d1", [("d1", 4, 100, 3, 4)]),
    ],
    "sm.submitter": [
        ("Trường Tiểu học Sơn Mai", "collective", "c", [("c2", 5, 60, 18, 20), ("c3", 4, 40, 2, 3)]),
        ("Thôn Làng Ranh", "collective", "a", [("a1", 1, 50, 5, 5), ("a6", 3, 50, 2, 4)]),
    ],
}


def main() -> None:
    with httpx.Client(base_url=SERVICE_URLS["submissions"], timeout=15) as http:
        for username, entrants in DEMO.items():
            headers = {"Authorization": f"Bearer {password_token(username).access_token}"}
            for name, kind, group, criteria in entrants:
                body = {
                    "period": "2025",
                    "entrant": {"name": name, "kind": kind, "target_group": group},
                    "criteria": [
                        {"code": code, "theme": theme, "max_points": points, "value": value, "target": target}
                        for code, theme, points, value, target in criteria
                    ],
                }
                created = http.post("/submissions", json=body, headers=headers)
                created.raise_for_status()
                http.post(f"/submissions/{created.json()['id']}/submit", headers=headers).raise_for_status()
                print(f"  demo: {username} submitted «{name}»")


if __name__ == "__main__":
    main()
