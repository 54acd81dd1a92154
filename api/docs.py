"""The OpenAPI schema read into rows for the docs page (no script: the page is plain server-rendered HTML)."""

from dataclasses import dataclass


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
    envelope: list[str]  # a page's own keys (count, next, results...); empty for a single object


@dataclass
class Shape:
    name: str
    fields: list[Param]


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
            # Ninja keys responses by number; the schema served as JSON by text.
            answer = spec["responses"].get(200) or spec["responses"].get("200", {})
            body = answer.get("content", {})
            json_schema = body.get("application/json", {}).get("schema", {})
            item, envelope = _ref_name(json_schema.get("$ref", "")), []
            page = components.get(item, {}).get("properties", {})
            if "results" in page:
                item, envelope = _ref_name(page["results"]["items"]["$ref"]), list(page)
            item = item or next(iter(body), "")
            rows.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=spec.get("summary", ""),
                    description=spec.get("description", ""),
                    params=params,
                    item=item,
                    envelope=envelope,
                )
            )
    return rows


def shapes(schema: dict) -> list[Shape]:
    """The objects the API answers with (not the page envelopes nor the error), each with its fields."""
    components = schema.get("components", {}).get("schemas", {})
    return [
        Shape(name, _fields(component))
        for name, component in sorted(components.items())
        if name.endswith("Out")
    ]
