"""Demo onboarding, through the real services: the co-op's membership agreement (signed by each active member,
its PDF rendered), two join applications (one waiting for staff, one waiting for the applicant's answer), an
invited supplier whose documents wait for review, and BrightCell's vetting documents with one certification that
expires within 30 days. Idempotent: what exists is left alone."""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.base import ContentFile

from agencies.agreements.models import AgreementAcceptance
from agencies.agreements.selectors import current_agreement
from agencies.agreements.services import agreement_accept, agreement_pdf_render, agreement_version_publish
from agencies.onboarding.models import JoinApplication
from agencies.onboarding.services import (
    application_confirm,
    application_request_info,
    application_submit,
    status_token,
)
from marketplace.core.dates import organization_today
from marketplace.core.models import CoopMembership, CoopMembershipStatus, Membership, Organization, OutgoingEmail, User
from marketplace.core.roles import OrgKind, Role
from marketplace.core.services.invitations import invitation_accept
from marketplace.demo.documents import simple_pdf
from marketplace.demo.users import demo_user
from suppliers.models import Supplier, SupplierDocument
from suppliers.vetting.models import CertificationType, DocumentKind
from suppliers.vetting.services import (
    store_location_create,
    supplier_document_review,
    supplier_document_upload,
    supplier_invite,
    supplier_profile_update,
    supplier_submit,
)

AGREEMENT = {
    "label": "2026-1",
    "title": "Intergovernmental cooperative purchasing agreement",
    "effective_on": dt.date(2026, 1, 1),
    "body": (
        "1. Purpose. The member agency joins the cooperative so that it may buy on the cooperative contracts the "
        "cooperative awards after a competitive solicitation, without running its own solicitation.\n\n"
        "2. Authority. Each party enters this agreement under the interlocal and intergovernmental cooperation "
        "laws of its state. The signer confirms that the governing body has authorized the agreement.\n\n"
        "3. Ordering. The member orders directly from the supplier on a contract; it is responsible for its own "
        "orders, receipt, inspection and payment. The cooperative is not a party to the member's orders.\n\n"
        "4. Fees. The member pays no fee to the cooperative. Suppliers pay the administrative fee stated in "
        "each contract; it is never added to the member's price.\n\n"
        "5. Records. The member keeps the records its auditors need; the cooperative keeps the solicitation, "
        "award and contract documents and makes them available to members and the public.\n\n"
        "6. Term. This agreement continues until either party ends it with 30 days' written notice. Orders "
        "placed before the notice ends are completed under their contract."
    ),
}

APPLICATIONS = [
    (
        {
            "legal_name": "Town of Lake Alder",
            "agency_type": "city",
            "state": "FL",
            "county": "Lake",
            "population": "9,800",
            "website": "https://www.lakealder.fl.us",
            "email_domain": "lakealder.fl.us",
            "contact_name": "Renée Castillo",
            "contact_title": "Purchasing Coordinator",
            "contact_email": "rcastillo@lakealder.fl.us",
            "contact_phone": "(352) 555-0137",
            "signer_name": "Thomas Avery",
            "signer_title": "Town Manager",
            "signer_email": "tavery@lakealder.fl.us",
        },
        "",
    ),
    (
        {
            "legal_name": "Osprey Bay Fire Control District",
            "agency_type": "special_district",
            "state": "FL",
            "county": "Charlotte",
            "population": "31,500",
            "website": "https://www.ospreybayfire.org",
            "email_domain": "ospreybayfire.org",
            "contact_name": "Dana Whitfield",
            "contact_title": "Logistics Chief",
            "contact_email": "dwhitfield@ospreybayfire.org",
            "contact_phone": "(941) 555-0190",
            "signer_name": "Marcus Bell",
            "signer_title": "Fire Chief",
            "signer_email": "mbell@ospreybayfire.org",
        },
        "Thank you for applying. Your evidence is a letterhead page; please send the special act or ordinance that "
        "created the district (a PDF of the page that names it is enough), since a .org address is not an "
        "official government domain.",
    ),
]

INVITED_SUPPLIER = {
    "name": "Sunrise Solar & Lighting",
    "legal_name": "Sunrise Solar and Lighting, Inc.",
    "admin": ("admin@sunrise-solar.test", "Marisol Vega", "Owner"),
    "profile": {
        "ein": "59-2718281",
        "dba": "Sunrise Solar & Lighting",
        "remit_to": "Sunrise Solar and Lighting, Inc.\n2100 N Florida Ave\nTampa, FL 33602",
        "order_desk_email": "orders@sunrise-solar.test",
        "website": "https://www.sunrise-solar.test",
        "phone": "(813) 555-0164",
    },
    "store": {
        "name": "Sunrise Solar — Tampa",
        "owner_name": "Marisol Vega",
        "address": "2100 N Florida Ave",
        "city": "Tampa",
        "state": "FL",
        "postal_code": "33602",
        "email": "tampa@sunrise-solar.test",
        "locally_owned": True,
    },
}


def _pdf(name: str, title: str, kicker: str, paragraphs: list[str]) -> ContentFile:
    return ContentFile(simple_pdf(title=title, kicker=kicker, paragraphs=paragraphs), name=name)


def _first_admin(organization: Organization, role: str) -> User:
    membership = (
        Membership.objects.filter(organization=organization, role=role, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user


def seed_agreement(coop: Organization, staff: User) -> int:
    """Publish the co-op's agreement if it has none, and have each active member's admin sign the current one (its
    PDF rendered here, as the worker would). Returns how many acceptances were added."""
    version = current_agreement(cooperative=coop)
    if version is None:
        version = agreement_version_publish(cooperative=coop, actor=staff, **AGREEMENT)
    added = 0
    for membership in CoopMembership.objects.filter(
        cooperative=coop, status=CoopMembershipStatus.ACTIVE
    ).select_related("agency"):
        agency = membership.agency
        if AgreementAcceptance.objects.filter(agency=agency, version=version).exists():
            continue
        admin = _first_admin(agency, Role.AGENCY_ADMIN)
        acceptance = agreement_accept(
            agency=agency,
            version=version,
            actor=admin,
            signer_name=admin.get_full_name(),
            signer_title=admin.title or "Agency admin",
            authorized=True,
        )
        agreement_pdf_render(acceptance_id=acceptance.pk)
        added += 1
    return added


def seed_applications(coop: Organization, staff: User) -> int:
    """Two applications by e-mail-confirmed applicants: one waits for staff, one for the applicant's answer."""
    added = 0
    for spec, question in APPLICATIONS:
        if JoinApplication.objects.filter(cooperative=coop, legal_name=spec["legal_name"]).exists():
            continue
        evidence = _pdf(
            f"{spec['email_domain'].split('.')[0]}-evidence.pdf",
            f"{spec['legal_name']}: evidence of public-entity status",
            f"{spec['county']} County, {spec['state']}",
            [
                f"{spec['legal_name']} is a unit of local government of the State of {spec['state']}.",
                f"Signed by {spec['signer_name']}, {spec['signer_title']}.",
            ],
        )
        application = application_submit(cooperative=coop, data=spec, evidence=evidence)
        # The applicant follows the confirmation link e-mailed to them.
        body = OutgoingEmail.objects.filter(to__contains=[application.contact_email]).latest("pk").body
        code = re.search(r"/confirm/([^/\s]+)/", body).group(1)
        application = application_confirm(token=status_token(application), code=code)
        if question:
            application_request_info(application=application, actor=staff, message=question)
        added += 1
    return added


def seed_invited_supplier(coop: Organization, staff: User) -> int:
    """A supplier the co-op invited: its admin accepted, completed the profile, uploaded a W-9 and insurance and
    submitted them; co-op staff have not reviewed them yet."""
    spec = INVITED_SUPPLIER
    if Organization.objects.filter(kind=OrgKind.SUPPLIER, name=spec["name"]).exists():
        return 0
    email, full_name, title = spec["admin"]
    supplier, _invitation, token = supplier_invite(
        cooperative=coop,
        actor=staff,
        data={"name": spec["name"], "legal_name": spec["legal_name"], "admin_email": email},
    )
    admin = demo_user(email, full_name, title)
    invitation_accept(token=token, user=admin)
    supplier.organization.mfa_required_roles = []
    supplier.organization.save(update_fields=["mfa_required_roles"])
    supplier = supplier_profile_update(
        supplier=supplier, actor=admin, data={"legal_name": spec["legal_name"], **spec["profile"]}
    )
    store_location_create(supplier=supplier.organization, actor=admin, data=spec["store"])
    today = organization_today(supplier.organization)
    kicker = f"{spec['legal_name']} · EIN {spec['profile']['ein']}"
    supplier_document_upload(
        supplier=supplier,
        actor=admin,
        kind=DocumentKind.W9,
        data={},
        file=_pdf("sunrise-w9.pdf", "Form W-9", kicker, ["Request for taxpayer identification number."]),
    )
    supplier_document_upload(
        supplier=supplier,
        actor=admin,
        kind=DocumentKind.COI,
        data={
            "general_liability": "1000000",
            "auto_liability": "1000000",
            "workers_comp": "500000",
            "effective_on": today.isoformat(),
            "expires_on": (today + dt.timedelta(days=365)).isoformat(),
        },
        file=_pdf("sunrise-coi.pdf", "Certificate of liability insurance", kicker, ["General liability $1,000,000."]),
    )
    supplier_submit(supplier=supplier, actor=admin)
    return 1


def seed_supplier_documents(supplier_org: Organization, coop: Organization, staff: User) -> int:
    """BrightCell's W-9, insurance and a local-business certification, verified by co-op staff; the certification
    expires in 21 days, so the expiry sweep warns about it."""
    if SupplierDocument.objects.filter(supplier=supplier_org).exists():
        return 0
    supplier = Supplier.objects.get(organization=supplier_org)
    admin = _first_admin(supplier_org, Role.SUPPLIER_ADMIN)
    today = organization_today(supplier_org)
    insurance_ends = supplier.insurance_expires_on
    if insurance_ends is None or insurance_ends <= today + dt.timedelta(days=60):
        insurance_ends = today + dt.timedelta(days=365)
    kicker = f"{supplier.legal_name} · EIN {supplier.ein}"
    documents = [
        supplier_document_upload(
            supplier=supplier,
            actor=admin,
            kind=DocumentKind.W9,
            data={},
            file=_pdf("brightcell-w9.pdf", "Form W-9", kicker, ["Request for taxpayer identification number."]),
        ),
        supplier_document_upload(
            supplier=supplier,
            actor=admin,
            kind=DocumentKind.COI,
            data={
                "general_liability": "2000000",
                "auto_liability": "1000000",
                "workers_comp": "1000000",
                "effective_on": (insurance_ends - dt.timedelta(days=365)).isoformat(),
                "expires_on": insurance_ends.isoformat(),
            },
            file=_pdf(
                "brightcell-coi.pdf", "Certificate of liability insurance", kicker, ["Each occurrence $2,000,000."]
            ),
        ),
        supplier_document_upload(
            supplier=supplier,
            actor=admin,
            kind=DocumentKind.CERT,
            data={
                "certification_type": CertificationType.LOCAL,
                "issuer": "Seminole County Local Business Program",
                "number": "LBE-2291",
                "expires_on": (today + dt.timedelta(days=21)).isoformat(),
            },
            file=_pdf("brightcell-local-business.pdf", "Local business certificate", kicker, ["Certificate LBE-2291."]),
        ),
    ]
    for document in documents:
        supplier_document_review(document=document, cooperative=coop, actor=staff, verify=True)
    return len(documents)
