"""The OpenAPI schema read into rows for the docs page (no script: the page is plain server-rendered HTML)."""

from dataclasses import dataclass, field


@dataclass
class Param:
    name: str
    where: str
    type: str
    required: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    params: list[Param]
    item: str
    is_page: bool
    fields: list[Param] = field(default_factory=list)


_WHERE = {"query": "tham số truy vấn", "path": "trong đường dẫn"}


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_of(schema: dict) -> str:
    """`integer`, `string (date)`, `integer | null`, `list of TargetOut` from a JSON schema node."""
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "anyOf" in schema:
        return " | ".join(type_of(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if schema.get("type") == "array":
        return f"danh sách {type_of(schema.get('items', {}))}"
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _fields(component: dict) -> list[Param]:
    required = set(component.get("required", []))
    return [
        Param(name, "", type_of(node), name in required, node.get("description", ""))
        for name, node in component.get("properties", {}).items()
    ]


def operations(schema: dict) -> list[Operation]:
    components = schema.get("components", {}).get("schemas", {})
    rows = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            params = [
                Param(
                    p["name"],
                    _WHERE.get(p["in"], p["in"]),
                    type_of(p.get("schema", {})),
                    p.get("required", False),
                    p.get("description") or p.get("schema", {}).get("description", ""),
                )
                for p in spec.get("parameters", [])
            ]
            body = spec["responses"].get("200", {}).get("content", {})
            json_schema = body.get("application/json", {}).get("schema", {})
            item, is_page = _ref_name(json_schema.get("$ref", "")), False
            page_items = components.get(item, {}).get("properties", {}).get("results", {}).get("items")
            if page_items:
                item, is_page = _ref_name(page_items["$ref"]), True
            item = item or next(iter(body), "")
            rows.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=spec.get("summary", ""),
                    description=spec.get("description", ""),
                    params=params,
                    item=item,
                    is_page=is_page,
                    fields=_fields(components.get(item, {})),
                )
            )
    return rows
