"""Whether an event type's schema may replace its committed version: what a change breaks for the readers and writers
of the old shape (`breaking_changes`). Used by the contract generator (`thidua_ops.contracts`)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

Schema = Mapping[str, Any]

KEPT = ("const", "format")


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """What in `new` breaks a reader or a writer of `old` (empty: compatible). Each is `path: what changed`."""
    return list(_compare(old, old, new, new, "", frozenset()))


def _resolve(node: Schema, root: Schema) -> Schema:
    """The node a local `$ref` (`#/...`) points to, followed to the end; a lone `allOf` of one schema unwrapped."""
    seen: set[str] = set()
    while True:
        if "$ref" in node:
            ref = str(node["$ref"])
            if not ref.startswith("#/") or ref in seen:
                raise ValueError(f"cannot follow $ref {ref}")
            seen.add(ref)
            target: Any = root
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        elif len(node.get("allOf", ())) == 1 and "properties" not in node:
            node = {**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}}
        else:
            return node


def _alternatives(node: Schema, root: Schema) -> Iterator[tuple[str, Schema]]:
    """Each (JSON type, schema) a value of `node` may be: `anyOf`/`oneOf` and `type` lists spread out."""
    node = _resolve(node, root)
    variants = node.get("anyOf") or node.get("oneOf")
    if variants:
        for variant in variants:
            yield from _alternatives(variant, root)
        return
    kinds = node.get("type")
    if kinds is None:
        kinds = "object" if "properties" in node else "any"
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        yield str(kind), node


def _describe(kinds: list[str]) -> str:
    return " | ".join(kinds) if kinds else "nothing"


def _compare(
    old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str, seen: frozenset[tuple[str, str]]
) -> Iterator[str]:
    where = path or "(the event)"
    if "$ref" in old and "$ref" in new:
        pair = (str(old["$ref"]), str(new["$ref"]))
        if pair in seen:  # a recursive schema: these two definitions are being compared further up
            return
        seen = seen | {pair}
    before, after = list(_alternatives(old, old_root)), list(_alternatives(new, new_root))
    old_kinds, new_kinds = sorted({k for k, _ in before}), sorted({k for k, _ in after})
    if old_kinds != new_kinds:
        yield f"{where}: type changed from {_describe(old_kinds)} to {_describe(new_kinds)}"
        return
    for kind in old_kinds:
        olds = [s for k, s in before if k == kind]
        news = [s for k, s in after if k == kind]
        if len(olds) != len(news):
            yield f"{where}: the {kind} alternatives changed ({len(olds)} before, {len(news)} now)"
            continue
        for old_node, new_node in zip(olds, news, strict=True):
            yield from _compare_one(kind, old_node, old_root, new_node, new_root, path, seen)


def _compare_one(
    kind: str,
    old: Schema,
    old_root: Schema,
    new: Schema,
    new_root: Schema,
    path: str,
    seen: frozenset[tuple[str, str]],
) -> Iterator[str]:
    where = path or "(the event)"
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if (old_enum is None) != (new_enum is None) or (
        old_enum is not None and sorted(map(json.dumps, old_enum)) != sorted(map(json.dumps, new_enum or ()))
    ):
        yield f"{where}: allowed values changed from {old_enum} to {new_enum}"
    for keyword in KEPT:
        if old.get(keyword) != new.get(keyword):
            yield f"{where}: {keyword} changed from {old.get(keyword)!r} to {new.get(keyword)!r}"
    if kind == "object":
        yield from _compare_object(old, old_root, new, new_root, path, seen)
    elif kind == "array":
        yield from _compare_array(old, old_root, new, new_root, path, seen)


def _compare_object(
    old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str, seen: frozenset[tuple[str, str]]
) -> Iterator[str]:
    """An object's fields (none removed, none newly required) and its additional properties."""
    where = path or "(the event)"
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name in sorted(old_fields):
        field = f"{path}.{name}" if path else name
        if name not in new_fields:
            yield f"{field}: field removed"
            continue
        if name in new_required and name not in old_required:
            yield f"{field}: optional field became required"
        yield from _compare(old_fields[name], old_root, new_fields[name], new_root, field, seen)
    for name in sorted(set(new_fields) - set(old_fields)):
        if name in new_required:
            field = f"{path}.{name}" if path else name
            yield f"{field}: new field is required (earlier events lack it)"
    old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
    if isinstance(old_extra, Mapping) and isinstance(new_extra, Mapping):
        yield from _compare(old_extra, old_root, new_extra, new_root, f"{path}{{}}", seen)
    elif old_extra != new_extra:
        yield f"{where}: additionalProperties changed from {old_extra!r} to {new_extra!r}"


def _compare_array(
    old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str, seen: frozenset[tuple[str, str]]
) -> Iterator[str]:
    """An array's items and its tuple's positions (prefixItems)."""
    where = path or "(the event)"
    old_items, new_items = old.get("items"), new.get("items")
    if isinstance(old_items, Mapping) and isinstance(new_items, Mapping):
        yield from _compare(old_items, old_root, new_items, new_root, f"{path}[]", seen)
    elif old_items != new_items:
        yield f"{where}: items changed"
    old_prefix, new_prefix = old.get("prefixItems", []), new.get("prefixItems", [])
    if len(old_prefix) != len(new_prefix):
        yield f"{where}: tuple length changed from {len(old_prefix)} to {len(new_prefix)}"
    else:
        for n, (before, after) in enumerate(zip(old_prefix, new_prefix, strict=True)):
            yield from _compare(before, old_root, after, new_root, f"{path}[{n}]", seen)
