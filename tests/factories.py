"""factory_boy factories for the kernel and the domain profiles."""

from datetime import date

import factory
from allauth.account.models import EmailAddress

from agencies.models import Agency, Facility
from contracts.models import Contract
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
