//! Informative references (NIST OLIR): CSF element -> controls, control -> CSF elements, and the
//! SP 800-53 Rev 5.1.1 -> 5.2.0 mapping changes, answered by `csf_domain::framework`.

use csf_domain::framework::{
    self as fw, MappingChangesOutput, MappingChangesRequest, ReferencesOutput, ReferencesRequest,
};

use crate::mcp::error::ToolError;
use crate::mcp::registry::{Call, CsfTool, ToolClass, ToolMeta};

pub struct GetInformativeReferences;
impl CsfTool for GetInformativeReferences {
    const META: ToolMeta = ToolMeta {
        name: "get_informative_references",
        title: "Informative references (SP 800-53, 800-171 …)",
        description: "NIST's official informative references for CSF 2.0, both ways: for a CSF \
            id, its SP 800-53 Rev 5.2.0 / 5.1.1 controls, SP 800-171 Rev 3 requirements, CSF 1.1, \
            SP 800-221A and SSDF references grouped by dataset; for a control id (IA-2, \
            CP-2(8), 03.11.01, PW.4.1, PR.AC-7), the CSF 2.0 elements that cite it.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = ReferencesRequest;
    type Output = ReferencesOutput;
    async fn call(_: Call, p: ReferencesRequest) -> Result<ReferencesOutput, ToolError> {
        Ok(fw::references(p)?)
    }
}

pub struct CompareSp80053Mappings;
impl CsfTool for CompareSp80053Mappings {
    const META: ToolMeta = ToolMeta {
        name: "compare_sp800_53_mappings",
        title: "SP 800-53 Rev 5.1.1 → 5.2.0 mapping changes",
        description: "What NIST's CSF 2.0 → SP 800-53 Rev 5.2.0 mapping adds to (or drops from) \
            the earlier Rev 5.1.1 mapping, per CSF element.",
        class: ToolClass::Read,
        idempotent: true,
    };
    type Params = MappingChangesRequest;
    type Output = MappingChangesOutput;
    async fn call(_: Call, p: MappingChangesRequest) -> Result<MappingChangesOutput, ToolError> {
        Ok(fw::sp800_53_changes(p)?)
    }
}
