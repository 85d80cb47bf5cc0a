//! Tool implementations, grouped by area. `ALL` is the registry's single list.

pub mod admin;
pub mod analysis;
pub mod assessment;
pub mod campaigns;
pub mod evidence;
pub mod framework;
pub mod orgs;
pub mod plans;
pub mod references;
pub mod reports;

use super::registry::ErasedTool;

pub static ALL: &[&dyn ErasedTool] = &[
    &framework::CsfLookup,
    &framework::SearchFramework,
    &framework::ListFramework,
    &framework::GetImplementationExamples,
    &framework::CsfCrosswalk,
    &framework::GetRelatedSubcategories,
    &references::GetInformativeReferences,
    &references::CompareSp80053Mappings,
    &orgs::CreateOrganization,
    &orgs::ListOrganizations,
    &orgs::CreateProfile,
    &orgs::CloneProfileTool,
    &orgs::ListProfiles,
    &orgs::ArchiveProfile,
    &assessment::RecordAssessment,
    &assessment::GetAssessment,
    &assessment::GetAssessmentQuestions,
    &assessment::ValidateAssessmentResponses,
    &assessment::QuickAssessment,
    &assessment::ImportAssessment,
    &admin::GetAuditTrail,
    &admin::DeleteProfile,
    &admin::ResetOrganizationData,
    &analysis::AssessMaturity,
    &analysis::GenerateGapAnalysis,
    &analysis::GeneratePriorityMatrix,
    &analysis::EstimateImplementationCost,
    &analysis::CalculateRiskScore,
    &analysis::CalculateMaturityTrend,
    &analysis::CompareProfiles,
    &analysis::SuggestNextActions,
    &evidence::CreateEvidence,
    &evidence::UpdateEvidence,
    &evidence::GetEvidence,
    &evidence::ListEvidence,
    &evidence::LinkEvidence,
    &evidence::UnlinkEvidence,
    &evidence::DeleteEvidence,
    &evidence::GetEvidenceRegister,
    &plans::CreateImplementationPlan,
    &plans::GetImplementationPlan,
    &plans::ListImplementationPlans,
    &plans::TrackProgress,
    &reports::GenerateReport,
    &reports::ExportData,
    &reports::GeneratePolicyTemplate,
    &campaigns::CreateAssessmentCampaign,
    &campaigns::GetAssessmentCampaign,
    &campaigns::ListAssessmentCampaigns,
    &campaigns::NextCampaignQuestions,
    &campaigns::AnswerCampaignQuestions,
    &campaigns::PreviousCampaignQuestion,
    &campaigns::RunCampaignQuestions,
    &campaigns::SetCampaignState,
    &campaigns::ReviewCampaign,
    &campaigns::SendBackCampaignItems,
    &campaigns::SignOffCampaign,
];
