"""OpenAPI schema hooks (drf-spectacular's POSTPROCESSING_HOOKS)."""

from __future__ import annotations

UNSTORABLE_INPUT = (
    "`bad_request`: a character that cannot be stored (such as NUL) anywhere in the request; checked before any "
    "view runs, so every operation may answer it"
)


def document_unstorable_input_refusal(result, generator, request, public):
    """Every operation can answer 400: `RefuseUnstorableInputMiddleware` refuses a NUL or a lone surrogate anywhere in
    the path, query or body before any view runs. Operations that document a 400 of their own (`invalid`) keep it
    and say so too; the others get this one."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "400" in responses:
                described = responses["400"].get("description", "")
                if "bad_request" not in described:
                    responses["400"]["description"] = (
                        f"{described}; {UNSTORABLE_INPUT}" if described else UNSTORABLE_INPUT
                    )
            else:
                responses["400"] = {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    "description": UNSTORABLE_INPUT,
                }
            operation["responses"] = dict(sorted(responses.items()))
    return result
