"""The public portal: what a local government has published, readable by anyone without an account.

Plans are read only through ``prongsai.plans.published`` (published revisions, never a draft); pages
are cached for anonymous visitors by ``cache.public_page``. Every view here is ``@login_not_required``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from prongsai.audit.checkpoint import latest_checkpoint
from prongsai.audit.keys import verifier
from prongsai.audit.signing import SigningError
from prongsai.documents.actions import published_pdf
from prongsai.documents.models import PublishedDocument
from prongsai.documents.word import render_docx
from prongsai.ita.published import published_results
from prongsai.lib.uploads import files_of
from prongsai.organizations.models import Organization
from prongsai.plans import part1, published
from prongsai.plans.content import part1_headings, part1_view
from prongsai.plans.fragments import plan_pieces
from prongsai.plans.models import Plan
from prongsai.plans.summary import plan_tables
from prongsai.portal import search
from prongsai.portal.cache import public_page, publication_stamp
from prongsai.portal.compare import compare
from prongsai.portal.forms import VerifyForm
from prongsai.portal.report_pages import round_cards
from prongsai.portal.verify import digest, verify
from prongsai.reports import published as published_reports
from prongsai.risks import published as published_risks

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _organization(slug: str) -> Organization:
    organization = published.public_organization(slug)
    if organization is None:
        raise Http404
    return organization


def _revision(org: str, plan: str, rev: int | None = None) -> Plan:
    """A published revision (the current one when ``rev`` is None); 404 for anything not published."""
    organization = _organization(org)
    found = (
        published.current_revision(organization, plan)
        if rev is None
        else published.published_revision(organization, plan, rev)
    )
    if found is None:
        raise Http404
    return found


def _verifier_key() -> str:
    try:
        key = verifier()
    except SigningError:
        return ""
    return key.encode() if key is not None else ""


def _filename(plan: Plan, fmt: str) -> str:
    # Slugs are ASCII, so the name needs no encoding in the header.
    return f"{plan.organization.slug}-{plan.slug}-r{plan.revision}.{fmt}"


# --- Directory and organisation ---------------------------------------------------------------------


@login_not_required
@require_GET
@public_page
def directory(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    found = search.search(query, published.public_organizations())
    plans: dict[int, list[Plan]] = defaultdict(list)
    for plan in published.current_revisions():
        plans[plan.organization_id].append(plan)
    rows = [(organization, plans[organization.pk]) for organization in found]
    return render(request, "portal/directory.html", {"query": query, "rows": rows})


@login_not_required
@require_GET
@public_page
def organization_home(request: HttpRequest, org: str) -> HttpResponse:
    found = _organization(org)
    return render(
        request,
        "portal/organization.html",
        {
            "organization": found,
            "plans": list(published.current_revisions(found)),
            "ita": published_results(found),
            "rounds": round_cards(found),
            "risk_registers": list(published_risks.published_registers(found)),
        },
    )


@login_not_required
@require_GET
def log_checkpoint(request: HttpRequest, org: str) -> HttpResponse:
    """The newest signed checkpoint of the organisation's log, as text, for outsiders to keep copies."""
    latest = latest_checkpoint(_organization(org))
    if latest is None:
        raise Http404
    response = HttpResponse(latest.note, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


# --- Plans ------------------------------------------------------------------------------------------


def _plan_context(plan: Plan) -> dict[str, Any]:
    tables = plan_tables(plan)
    sections = part1_view(plan)
    revisions = list(published.plan_published_revisions(plan.organization, plan.slug))
    return {
        "organization": plan.organization,
        "plan": plan,
        "public": True,
        "is_current": revisions[0].revision == plan.revision,
        "current": revisions[0],
        "revisions": revisions,
        "previous": next((r for r in revisions if r.revision < plan.revision), None),
        "document": PublishedDocument.objects.filter(plan=plan).only("sha256", "size").first(),
        "tables": tables,
        "pieces": plan_pieces(tables, plan, public=True, can_edit=False),
        "s": sections,
        "headings": part1_headings(plan),
        "situation_rows": list(
            zip(
                [sections[k] for k in part1.SITUATION_GENERAL],
                [sections[k] for k in part1.SITUATION_SPECIFIC],
                strict=True,
            )
        ),
        "has_illustrative": any(item.is_illustrative for item in tables.items),
        "years": plan.years,
    }


@login_not_required
@require_GET
@public_page
def plan_latest(request: HttpRequest, org: str, plan: str) -> HttpResponse:
    """The newest published revision (an alias: its address stays the same from revision to revision)."""
    return render(request, "portal/plan.html", _plan_context(_revision(org, plan)))


@login_not_required
@require_GET
@public_page
def plan_revision(request: HttpRequest, org: str, plan: str, rev: int) -> HttpResponse:
    return render(request, "portal/plan.html", _plan_context(_revision(org, plan, rev)))


@login_not_required
@require_GET
@public_page
def item_page(request: HttpRequest, org: str, plan: str, rev: int, uid: uuid.UUID) -> HttpResponse:
    found = _revision(org, plan, rev)
    tables = plan_tables(found)
    for table in tables.dimensions:
        for row in table.rows:
            for line in row.lines:
                if line.item.uid == uid:
                    return render(
                        request,
                        "portal/item.html",
                        {
                            "organization": found.organization,
                            "plan": found,
                            "table": table,
                            "row": row,
                            "line": line,
                            "budget_rows": list(zip(line.years, line.budgets, strict=True)),
                            "reports": published_reports.item_reports(found.organization, found.slug, uid),
                            "risk_measures": published_risks.item_measures(
                                found.organization, found.slug, uid
                            ),
                        },
                    )
    raise Http404


@login_not_required
@require_GET
@public_page
def plan_changes(request: HttpRequest, org: str, plan: str, rev: int) -> HttpResponse:
    after = _revision(org, plan, rev)
    before = published.previous_published_revision(after)
    context = {
        "organization": after.organization,
        "plan": after,
        "before": before,
        "changes": compare(before, after) if before is not None else None,
    }
    return render(request, "portal/changes.html", context)


# --- Documents --------------------------------------------------------------------------------------


def _download(
    request: HttpRequest, body: bytes | None, etag: str, content_type: str, name: str
) -> HttpResponse:
    quoted = f'"{etag}"'
    if quoted in request.headers.get("If-None-Match", ""):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = quoted
        return not_modified
    if body is None:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = quoted
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_GET
def plan_pdf(request: HttpRequest, org: str, plan: str, rev: int) -> HttpResponse:
    """The PDF exactly as stored when the revision was published: its SHA-256 is the one on the page."""
    found = _revision(org, plan, rev)
    sha256 = PublishedDocument.objects.filter(plan=found).values_list("sha256", flat=True).first()
    if sha256 is None:
        raise Http404
    wants_body = f'"{sha256}"' not in request.headers.get("If-None-Match", "")
    body = published_pdf(found) if wants_body else None
    return _download(request, body, sha256, "application/pdf", _filename(found, "pdf"))


@login_not_required
@require_GET
def plan_docx(request: HttpRequest, org: str, plan: str, rev: int) -> HttpResponse:
    """The Word version, laid out once per revision and publication stamp, in Thai like the PDF."""
    found = _revision(org, plan, rev)
    cache = caches[settings.PORTAL_CACHE]
    key = f"portal:docx:{publication_stamp()}:{found.pk}"
    stored: tuple[bytes, str] | None = cache.get(key)
    if stored is None:
        with translation.override("th"):
            body = render_docx(found)
        stored = (body, digest([body]))
        cache.set(key, stored, settings.PORTAL_CACHE_SECONDS)
    return _download(request, stored[0], stored[1], DOCX, _filename(found, "docx"))


# --- Verifying a document ---------------------------------------------------------------------------


@login_not_required
def verify_document(request: HttpRequest) -> HttpResponse:
    """Anyone drops a PDF (or pastes its SHA-256) and learns whether it is a published plan revision."""
    form = VerifyForm(request.POST or None, files_of(request))
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        sha256 = digest(upload.chunks()) if upload else form.cleaned_data["sha256"]
        result = verify(sha256)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "portal/verify.html",
        {"form": form, "result": result, "verifier_key": _verifier_key()},
        status=status,
    )


# --- Language ---------------------------------------------------------------------------------------

# Cached public pages carry no CSRF token, so the language switch on them cannot need one; changing
# the display language is all this can do.
language = csrf_exempt(login_not_required(require_POST(set_language)))
