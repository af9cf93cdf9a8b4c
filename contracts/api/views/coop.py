"""Contracts API: co-op staff manage their contracts and documents; anyone reads published contracts."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from contracts import selectors
from contracts.api.serializers import (
    ContractInputSerializer,
    ContractSerializer,
    DocumentSerializer,
    DocumentUploadInputSerializer,
    PublicContractDetailSerializer,
    PublicContractSerializer,
    TransitionInputSerializer,
)
from contracts.filters import CoopContractFilter, PublicContractFilter
from contracts.models import Contract
from contracts.services.contracts import contract_create, contract_transition, contract_update
from contracts.services.documents import contract_document_upload, contract_document_withdraw
from marketplace.core.api.errors import ErrorSerializer
from marketplace.core.api.filters import OrganizationFilterBackend
from marketplace.core.api.views import (
    ACTION_ERRORS,
    ERROR_RESPONSES,
    LIST_ERRORS,
    PUBLIC_ERRORS,
    WRITE_ERRORS,
    OrganizationAPIMixin,
)
from marketplace.core.roles import COOP_STAFF_ROLES, OrgKind


class CoopContractAPIMixin(OrganizationAPIMixin):
    organization_kind = OrgKind.COOPERATIVE
    required_roles = COOP_STAFF_ROLES

    def get_contract(self, *, owned: bool = False) -> Contract:
        return selectors.coop_contract_get(cooperative=self.organization, key=self.kwargs["contract"], owned=owned)

    def contract_out(self, contract: Contract) -> dict:
        contract = (
            selectors.coop_contract_list(cooperative=self.organization)
            .filter(pk=contract.pk)
            .prefetch_related("available_to")
            .get()
        )
        return ContractSerializer(contract).data


class CoopContractListView(CoopContractAPIMixin, generics.ListAPIView):
    queryset = Contract.objects.none()  # names the model for the schema; the rows come from get_queryset()
    serializer_class = ContractSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = CoopContractFilter

    def get_queryset(self):
        return selectors.coop_contract_list(cooperative=self.organization).prefetch_related("available_to")

    @extend_schema(
        summary="Contracts the co-op owns or that are available to it",
        responses={200: ContractSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Create a draft contract",
        request=ContractInputSerializer,
        responses={201: ContractSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org):
        serializer = ContractInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = contract_create(cooperative=self.organization, actor=request.user, data=serializer.validated_data)
        return Response(self.contract_out(contract), status=status.HTTP_201_CREATED)


class CoopContractDetailView(CoopContractAPIMixin, APIView):
    @extend_schema(summary="One contract (by slug or id)", responses={200: ContractSerializer, **ERROR_RESPONSES})
    def get(self, request, org, contract):
        return Response(self.contract_out(self.get_contract()))

    @extend_schema(
        summary="Change some fields of a draft or active contract",
        request=ContractInputSerializer(partial=True),
        responses={200: ContractSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, org, contract):
        return self._update(request, partial=True)

    @extend_schema(
        summary="Replace the fields of a draft or active contract",
        request=ContractInputSerializer,
        responses={200: ContractSerializer, **WRITE_ERRORS},
    )
    def put(self, request, org, contract):
        return self._update(request, partial=False)

    def _update(self, request, *, partial: bool):
        contract = self.get_contract(owned=True)
        serializer = ContractInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        contract = contract_update(contract=contract, actor=request.user, data=serializer.validated_data)
        return Response(self.contract_out(contract))


class CoopContractTransitionView(CoopContractAPIMixin, APIView):
    @extend_schema(
        summary="Publish (to=active) or terminate (to=terminated, reason required) a contract",
        request=TransitionInputSerializer,
        responses={200: ContractSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, contract):
        contract = self.get_contract(owned=True)
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = contract_transition(
            contract=contract,
            to=serializer.validated_data["to"],
            actor=request.user,
            reason=serializer.validated_data.get("reason", ""),
        )
        return Response(self.contract_out(contract))


class CoopContractDocumentListView(CoopContractAPIMixin, generics.ListAPIView):
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        contract = self.get_contract()
        owned = contract.cooperative_id == self.organization.pk
        return selectors.contract_document_list(contract=contract, include_withdrawn=owned).select_related(
            "contract__cooperative"
        )

    @extend_schema(
        summary="Compliance documents of a contract", responses={200: DocumentSerializer(many=True), **LIST_ERRORS}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Upload a compliance document (multipart; PDF checked by content, 20 MB limit)",
        request={"multipart/form-data": DocumentUploadInputSerializer},
        responses={201: DocumentSerializer, **WRITE_ERRORS},
    )
    def post(self, request, org, contract):
        contract = self.get_contract(owned=True)
        serializer = DocumentUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = contract_document_upload(
            contract=contract,
            actor=request.user,
            kind=data["kind"],
            title=data.get("title", ""),
            file=data["file"],
            is_public=data["is_public"],
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class CoopContractDocumentWithdrawView(CoopContractAPIMixin, APIView):
    @extend_schema(
        summary="Withdraw a document (kept, no longer public)",
        request=None,
        responses={200: DocumentSerializer, **ACTION_ERRORS},
    )
    def post(self, request, org, contract, document_id):
        contract = self.get_contract(owned=True)
        document = selectors.contract_document_get(contract=contract, document_id=document_id)
        document = contract_document_withdraw(document=document, actor=request.user)
        return Response(DocumentSerializer(document).data)


# --- public --------------------------------------------------------------------------------------------


class PublicContractListView(generics.ListAPIView):
    queryset = Contract.objects.none()  # names the model for the schema; the rows come from get_queryset()
    permission_classes = [AllowAny]
    serializer_class = PublicContractSerializer
    filter_backends = [OrganizationFilterBackend]
    filterset_class = PublicContractFilter

    def get_queryset(self):
        return selectors.public_contract_list()

    @extend_schema(
        summary="Published cooperative contracts (no login)",
        responses={200: PublicContractSerializer(many=True), **PUBLIC_ERRORS},
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicContractDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="A published contract with its public documents (no login)",
        responses={200: PublicContractDetailSerializer, 404: OpenApiResponse(ErrorSerializer), **PUBLIC_ERRORS},
        auth=[],
    )
    def get(self, request, contract):
        contract = selectors.public_contract_get(slug=contract)
        contract.public_documents = list(selectors.public_document_list(contract=contract).select_related("contract"))
        return Response(PublicContractDetailSerializer(contract).data)
