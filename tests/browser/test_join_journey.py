"""Journey: a city that has never heard of the co-op applies (with a small PDF), confirms its e-mail address by the
link in the queued e-mail, co-op staff ask for more information, the city answers on its status page, staff
approve: the agency exists with an active membership and its administrator's invitation pending.

Every page is screenshotted (also under /tmp/shots/apply/) and scanned by axe at 1280 and 390 px."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfWriter

from agencies.models import Agency, ApplicationStatus, JoinApplication
from marketplace.core.models import CoopMembership, Invitation, OutgoingEmail

SHOTS = Path("/tmp/shots/apply")
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def _pdf(tmp_path: Path, name: str) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    path = tmp_path / name
    with path.open("wb") as out:
        writer.write(out)
    return path


def look(ui, label: str) -> None:
    """A screenshot and an axe scan at 1280 and 390 px; the page must not scroll sideways on the phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    ui.assert_accessible(f"{label}-1280")
    ui.page.screenshot(path=str(SHOTS / f"{label}-1280.png"), full_page=True, caret="initial")
    ui.page.set_viewport_size(PHONE)
    try:
        ui.assert_accessible(f"{label}-390")
        ui.page.screenshot(path=str(SHOTS / f"{label}-390.png"), full_page=True, caret="initial")
        widths = ui.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{label} scrolls sideways at 390 px: {widths}"
    finally:
        ui.page.set_viewport_size(DESKTOP)


def _fill_application(page, tmp_path, *, county: str, domain: str) -> None:
    page.get_by_label("Legal name of the entity").fill("City of Maple Ridge")
    page.get_by_label("Type of entity").select_option(label="City")
    page.get_by_label(re.compile(r"^State")).select_option(label="Florida")
    page.get_by_label("County").fill(county)
    page.get_by_label("Population served").fill("48,200")
    page.get_by_label("Website").fill("https://www.mapleridge.gov")
    page.get_by_label("Official e-mail domain").fill(domain)
    contact = page.get_by_role("group", name="Primary contact")
    contact.get_by_label("Full name").fill("Pat Buyer")
    contact.get_by_label("Title").fill("Purchasing Manager")
    contact.get_by_label("E-mail address").fill("pat@mapleridge.gov")
    contact.get_by_label("Phone").fill("(407) 555-0100")
    signer = page.get_by_role("group", name="Authorized signer")
    signer.get_by_label("Full name").fill("Sam Manager")
    signer.get_by_label("Title").fill("City Manager")
    signer.get_by_label("E-mail address").fill("sam@mapleridge.gov")
    page.get_by_label("Evidence of public-entity status (PDF)").set_input_files(str(_pdf(tmp_path, "charter.pdf")))


def test_a_city_applies_answers_a_question_and_is_approved(ui, world, password, tmp_path):
    page = ui.page
    ui.goto("/coops/alpha-coop/join/", "join-form")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to join Alpha Co-op")
    look(ui, "join-form")

    # a misspelt county and a bad domain: every problem in the summary, linked to its field; nothing kept
    _fill_application(page, tmp_path, county="Orang", domain="mapleridge")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_load_state()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Did you mean Orange County?")
    expect(summary).to_contain_text("Enter a domain like mapleridge.gov")
    ui.console_errors.clear()  # the 400 of the refused form
    look(ui, "join-form-errors")
    assert not JoinApplication.objects.exists()

    _fill_application(page, tmp_path, county="Orange", domain="mapleridge.gov")
    page.get_by_role("button", name="Send the application").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Confirm your e-mail address")).to_be_visible()
    look(ui, "status-unconfirmed")

    # the confirmation link from the queued e-mail
    body = OutgoingEmail.objects.filter(to__contains=["pat@mapleridge.gov"]).latest("pk").body
    confirm = re.search(r"https?://\S+/confirm/\S+/", body).group(0)
    page.goto(ui.base_url + confirm[confirm.index("/join/") :])
    look(ui, "confirm")
    page.get_by_role("button", name="Confirm my e-mail address").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Status: Waiting for review")).to_be_visible()
    status_path = ui.path
    look(ui, "status-pending")

    # co-op staff find it from their home page and ask for more information
    ui.sign_in(world.coop_staff.email, password)
    page.get_by_role("link", name="Membership applications").click()
    page.wait_for_load_state()
    expect(page.get_by_role("row", name=re.compile("City of Maple Ridge"))).to_contain_text("Waiting for review")
    look(ui, "queue")
    page.get_by_role("link", name="City of Maple Ridge").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Official government domain: mapleridge.gov")).to_be_visible()
    look(ui, "detail")
    page.get_by_label("What should the applicant send or explain?").fill(
        "Please send the page of your charter that names the City Manager as signer."
    )
    page.get_by_role("button", name="Send the question").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Your question was e-mailed to pat@mapleridge.gov")).to_be_visible()
    ui.sign_out()

    # the city answers on its status page, with a PDF
    assert "/join/status/" in OutgoingEmail.objects.filter(subject__contains="needs more information").get().body
    ui.goto(status_path, "status-question")
    expect(page.get_by_text("names the City Manager as signer")).to_be_visible()
    look(ui, "status-question")
    page.get_by_label("Your answer").fill("Attached: charter article IV.")
    page.get_by_label("Attach a document (PDF, optional)").set_input_files(str(_pdf(tmp_path, "article-iv.pdf")))
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_load_state()
    expect(page.get_by_text("your answer was sent")).to_be_visible()
    expect(page.get_by_text("Attached: article-iv.pdf")).to_be_visible()

    # staff approve
    ui.sign_in(world.coop_admin.email, password)
    application = JoinApplication.objects.get()
    ui.goto(f"/coops/alpha-coop/applications/{application.public_id}/", "detail-answered")
    expect(page.get_by_text("Attached: charter article IV.")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Approved: City of Maple Ridge is a member of Alpha Co-op")).to_be_visible()
    look(ui, "detail-approved")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    agency = Agency.objects.get(email_domain="mapleridge.gov").organization
    assert CoopMembership.objects.get(cooperative=world.coop, agency=agency).status == "active"
    invitation = Invitation.objects.get(organization=agency)
    assert invitation.email == "pat@mapleridge.gov" and invitation.roles == ["agency_admin"]
    assert invitation.status == "pending"
    assert not ui.failed_requests or all(" 400 " in f or f.startswith("400") for f in ui.failed_requests)


def test_the_member_import_page_with_errors_is_accessible(ui, world, password, tmp_path):
    ui.sign_in(world.coop_staff.email, password)
    ui.goto("/coops/alpha-coop/members/import/", "import")
    look(ui, "import")
    bad = tmp_path / "members.csv"
    bad.write_text("name,type,state,domain,admin_email\nTown,castle,ZZ,nodot,x\n")
    ui.page.get_by_label("Member list (CSV)").set_input_files(str(bad))
    ui.page.get_by_role("button", name="Check and import").click()
    ui.page.wait_for_load_state()
    expect(ui.page.get_by_role("alert")).to_contain_text("Nothing was imported")
    ui.console_errors.clear()
    look(ui, "import-errors")
