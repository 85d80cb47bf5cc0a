//! The evidence register: items (metadata only; the server never opens a location), their
//! links to assessment entries, and the register with its stale, implemented-without-evidence
//! and unused lists. Thin adapters over the domain service.

use csf_domain::evidence::{
    CreateEvidenceRequest, DeletedEvidence, EvidenceIdRequest, EvidenceRegister,
    EvidenceRegisterRequest, LinkEvidenceRequest, ListEvidenceOutput, ListEvidenceRequest,
    UpdateEvidenceRequest,
};
use csf_store::EvidenceItem;

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

pub struct CreateEvidence;
impl CsfTool for CreateEvidence {
    const META: ToolMeta = ToolMeta {
        name: "create_evidence",
        title: "Register an evidence item",
        description: "Add an item to an organization's evidence register: title, kind, where it \
            is (a URL or a document-system reference) and/or its sha256, owner, collected and \
            review-by dates, sensitivity. Metadata only: the server never opens or fetches the \
            location, and refuses local file paths. Link it to entries with link_evidence.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = CreateEvidenceRequest;
    type Output = EvidenceItem;
    async fn call(call: Call, p: CreateEvidenceRequest) -> Result<EvidenceItem, ToolError> {
        Ok(call.service.create_evidence(&call.actor, p).await?)
    }
}

pub struct UpdateEvidence;
impl CsfTool for UpdateEvidence {
    const META: ToolMeta = ToolMeta {
        name: "update_evidence",
        title: "Change an evidence item",
        description: "Change some fields of an evidence item: fields left out keep their value, \
            null clears an optional one. The item must keep a location or a sha256, and a \
            review-by date on or after its collection date.",
        class: ToolClass::Write,
        idempotent: true,
    };
    type Params = UpdateEvidenceRequest;
    type Output = EvidenceItem;
    async fn call(call: Call, p: UpdateEvidenceRequest) -> Result<EvidenceItem, ToolError> {
        Ok(call.service.update_evidence(&call.actor, p).await?)
    }
}

pub struct GetEvidence;
impl CsfTool for GetEvidence {
    const META: ToolMeta = ToolMeta {
        name: "get_evidence",
        title: "Read an evidence item",
        description: "One evidence item with every entry (profile and subcategory) it is \
            linked to.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = EvidenceIdRequest;
    type Output = EvidenceItem;
    async fn call(call: Call, p: EvidenceIdRequest) -> Result<EvidenceItem, ToolError> {
        Ok(call.service.get_evidence(p).await?)
    }
}

pub struct ListEvidence;
impl CsfTool for ListEvidence {
    const META: ToolMeta = ToolMeta {
        name: "list_evidence",
        title: "List evidence items",
        description: "An organization's evidence items in creation order (optionally only those \
            linked to one profile), each with its links; paginated.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ListEvidenceRequest;
    type Output = ListEvidenceOutput;
    async fn call(call: Call, p: ListEvidenceRequest) -> Result<ListEvidenceOutput, ToolError> {
        Ok(call.service.list_evidence(p).await?)
    }
}

pub struct DeleteEvidence;
impl CsfTool for DeleteEvidence {
    const META: ToolMeta = ToolMeta {
        name: "delete_evidence",
        title: "Delete an evidence item",
        description: "Remove an item from the register with its links. The entries it was \
            linked to are not changed; the audit trail keeps the call. Returns the item as it \
            was.",
        class: ToolClass::Admin,
        idempotent: false,
    };
    type Params = EvidenceIdRequest;
    type Output = DeletedEvidence;
    async fn call(call: Call, p: EvidenceIdRequest) -> Result<DeletedEvidence, ToolError> {
        Ok(call.service.delete_evidence(&call.actor, p).await?)
    }
}

pub struct LinkEvidence;
impl CsfTool for LinkEvidence {
    const META: ToolMeta = ToolMeta {
        name: "link_evidence",
        title: "Link evidence to entries",
        description: "Link an evidence item to subcategories of one profile of its organization \
            (links already there stay). The entries need not be recorded yet.",
        class: ToolClass::Write,
        idempotent: true,
    };
    type Params = LinkEvidenceRequest;
    type Output = EvidenceItem;
    async fn call(call: Call, p: LinkEvidenceRequest) -> Result<EvidenceItem, ToolError> {
        Ok(call.service.link_evidence(&call.actor, p).await?)
    }
}

pub struct UnlinkEvidence;
impl CsfTool for UnlinkEvidence {
    const META: ToolMeta = ToolMeta {
        name: "unlink_evidence",
        title: "Unlink evidence from entries",
        description: "Remove links between an evidence item and subcategories of one profile. \
            Every named link must exist, else nothing is removed; entries are never changed.",
        class: ToolClass::Write,
        idempotent: false,
    };
    type Params = LinkEvidenceRequest;
    type Output = EvidenceItem;
    async fn call(call: Call, p: LinkEvidenceRequest) -> Result<EvidenceItem, ToolError> {
        Ok(call.service.unlink_evidence(&call.actor, p).await?)
    }
}

pub struct GetEvidenceRegister;
impl CsfTool for GetEvidenceRegister {
    const META: ToolMeta = ToolMeta {
        name: "get_evidence_register",
        title: "Evidence register and what needs attention",
        description: "An organization's whole evidence register with three lists: stale items \
            (review-by date before as_of, default today), entries claimed largely or fully \
            implemented with no evidence linked (in every Current profile, or one profile), and \
            items no recorded entry uses.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = EvidenceRegisterRequest;
    type Output = EvidenceRegister;
    async fn call(call: Call, p: EvidenceRegisterRequest) -> Result<EvidenceRegister, ToolError> {
        Ok(call.service.evidence_register(p).await?)
    }
}
