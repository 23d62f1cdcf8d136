"""Downloading the plan document. Anyone who may read the plan may download it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from prongsai.documents.actions import published_pdf
from prongsai.documents.pdf import render_pdf
from prongsai.documents.word import render_docx
from prongsai.plans.access import get_plan
from prongsai.plans.models import Plan, PlanStatus

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _filename(plan: Plan, fmt: str) -> str:
    # Slugs are ASCII, so the name needs no encoding in the header.
    return f"{plan.organization.slug}-{plan.slug}-r{plan.revision}.{fmt}"


@require_GET
def plan_document(
    request: HttpRequest, org: str, plan: str, fmt: str, rev: str | None = None
) -> HttpResponse:
    found = get_plan(request.user, org, plan, int(rev) if rev is not None else None).plan
    if fmt == "pdf":
        # A published revision is served exactly as stored, so its SHA-256 matches the one shown.
        stored = published_pdf(found) if found.status == PlanStatus.PUBLISHED else None
        body = stored if stored is not None else render_pdf(found)
    else:
        body = render_docx(found)
    response = HttpResponse(bytes(body), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(found, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
