//! The server's `instructions`: what it is for, told to the model at initialize.

pub const TEXT: &str = "\
This server answers questions about the NIST Cybersecurity Framework (CSF) 2.0 from NIST's \
official OSCAL catalog, compiled in: every outcome statement and implementation example is \
NIST's exact text. The Core has 6 functions (GV Govern, ID Identify, PR Protect, DE Detect, \
RS Respond, RC Recover), 22 categories and 106 subcategories.
Use csf_lookup for any id (forgiving: gv.oc-1 works), search_framework to find outcomes by \
topic, list_framework to browse, get_implementation_examples for examples, csf_crosswalk to \
migrate CSF 1.1 ids (withdrawn in 2.0) to their CSF 2.0 successors, get_related_subcategories \
for neighbours with the reason they are related. Quote ids and text as returned; never invent \
CSF ids or outcomes. get_informative_references gives NIST's SP 800-53 / 800-171 mappings.
Assess with create_organization, create_profile and record_assessment; analyse with \
assess_maturity, generate_gap_analysis, calculate_risk_score, suggest_next_actions, \
create_implementation_plan and generate_report (every figure states its method). Keep the \
evidence register with create_evidence and link_evidence (metadata only: give a URL, a document \
reference or a sha256, never a local file path); get_evidence_register lists stale evidence, \
outcomes claimed as implemented without evidence and unused evidence. Prompts guide \
common workflows. Resources: csf://framework, csf://element/{id}, and csf://report/{id} for a \
report generate_report kept.";
