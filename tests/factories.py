"""factory_boy factories for the kernel and the domain profiles."""

from datetime import date

import factory
from allauth.account.models import EmailAddress

from agencies.models import Agency, Facility
from contracts.models import CatalogImport, CatalogItem, Category, Contract, ContractDocument, PriceChange
from marketplace.core.models import CoopMembership, Membership, Organization, User
from marketplace.core.roles import OrgKind
from suppliers.models import StoreLocation, Supplier

PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrgKind.AGENCY
    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    code = factory.Sequence(lambda n: f"O{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "requester"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    organization = factory.SubFactory(OrganizationFactory, kind=OrgKind.AGENCY)
    agency_type = "city"
    state = "FL"


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    agency = factory.SubFactory(OrganizationFactory, kind=OrgKind.AGENCY)
    name = factory.Sequence(lambda n: f"Facility {n}")
    address = "1 Main St"
    city = "Springfield"
    state = "FL"
    postal_code = "32000"


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    organization = factory.SubFactory(OrganizationFactory, kind=OrgKind.SUPPLIER)
    legal_name = factory.LazyAttribute(lambda o: f"{o.organization.name} LLC")
    vetting_status = "verified"


class StoreLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoreLocation

    supplier = factory.SubFactory(OrganizationFactory, kind=OrgKind.SUPPLIER)
    name = factory.Sequence(lambda n: f"Store {n}")
    address = "2 Market St"
    city = "Springfield"
    state = "FL"
    postal_code = "32000"
    latitude = "28.500000"
    longitude = "-81.300000"


class CoopMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoopMembership

    cooperative = factory.SubFactory(OrganizationFactory, kind=OrgKind.COOPERATIVE)
    agency = factory.SubFactory(OrganizationFactory, kind=OrgKind.AGENCY)
    status = "active"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"CT-{n:04d}")
    slug = factory.LazyAttribute(lambda o: o.number.lower())
    title = "Batteries and lighting"
    cooperative = factory.SubFactory(OrganizationFactory, kind=OrgKind.COOPERATIVE)
    supplier = factory.SubFactory(OrganizationFactory, kind=OrgKind.SUPPLIER)
    term_start = date(2026, 1, 1)
    term_end = date(2029, 1, 1)
    status = "active"
    min_discount_percent = "30.00"

    @factory.post_generation
    def make_available(self, create, extracted, **kwargs):
        if create:
            self.available_to.add(self.cooperative)


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem

    contract = factory.SubFactory(ContractFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Catalog item {n}")
    category = factory.LazyFunction(lambda: Category.objects.get(slug="led-lamps"))
    category_path = factory.LazyAttribute(lambda o: o.category.path)
    list_price = "20.00"
    contract_price = "12.00"


class PriceChangeFactory(factory.django.DjangoModelFactory):
    """A pending increase requested by the supplier (pass status/effective_date for other kinds)."""

    class Meta:
        model = PriceChange

    item = factory.SubFactory(CatalogItemFactory)
    old_price = factory.LazyAttribute(lambda o: o.item.contract_price)
    new_price = "13.00"
    status = "pending"
    requested_by = factory.SubFactory(UserFactory)


class CatalogImportFactory(factory.django.DjangoModelFactory):
    """A finished import row (no file on disk: pages and the API read its stored results, never the file)."""

    class Meta:
        model = CatalogImport

    contract = factory.SubFactory(ContractFactory)
    supplier = factory.LazyAttribute(lambda o: o.contract.supplier)
    file = "catalog-imports/factory.csv"
    original_name = factory.Sequence(lambda n: f"catalog-{n}.csv")
    status = "rejected"
    created_by = factory.SubFactory(UserFactory)
    error_count = 1
    errors = factory.LazyFunction(lambda: [{"row": 2, "column": "sku", "value": "", "reason": "The sku is required."}])


class ContractDocumentFactory(factory.django.DjangoModelFactory):
    """A document row without a file on disk (enough for pages that list or look documents up)."""

    class Meta:
        model = ContractDocument

    contract = factory.SubFactory(ContractFactory)
    kind = "signed_contract"
    title = "Signed agreement"
    file = "contracts/factory/document.pdf"
    original_name = "document.pdf"
    size_bytes = 1
    sha256 = "0" * 64
    page_count = 1
    uploaded_by = factory.SubFactory(UserFactory)
