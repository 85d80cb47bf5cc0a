//! CSF Tiers, described in this project's own words (after CSWP 29, Appendix B). A Tier is
//! declared by the organization for its governance and its risk-management practices; this
//! server never computes one from assessment scores.

pub struct TierGuide {
    pub tier: u8,
    pub name: &'static str,
    pub governance: &'static str,
    pub risk_management: &'static str,
}

pub const TIERS: [TierGuide; 4] = [
    TierGuide {
        tier: 1,
        name: "Partial",
        governance: "Cybersecurity risk strategy is handled ad hoc; priorities are not set from \
            business objectives or the threat environment.",
        risk_management: "Risk is managed case by case; awareness across the organization is \
            limited and information about risk is shared irregularly, if at all.",
    },
    TierGuide {
        tier: 2,
        name: "Risk Informed",
        governance: "Leadership approves risk practices, but they are not yet organization-wide \
            policy; priorities are informed by objectives and threats.",
        risk_management: "People are aware of cybersecurity risk and some assessment happens, \
            but it is not consistent or repeatable across the organization.",
    },
    TierGuide {
        tier: 3,
        name: "Repeatable",
        governance: "Risk practices are approved and expressed as policy; they are updated as \
            business needs, threats and technology change.",
        risk_management: "Consistent, organization-wide methods respond to changes in risk; \
            leadership and staff have the knowledge to carry out their roles.",
    },
    TierGuide {
        tier: 4,
        name: "Adaptive",
        governance: "Cybersecurity risk is part of the culture and of enterprise risk \
            decisions, and the strategy adapts from lessons learned and forward-looking signals.",
        risk_management: "The organization adapts its practices continuously from experience \
            and predictive indicators, and shares risk information in near real time.",
    },
];

pub const NOTE: &str = "Tiers characterize how rigorous an organization's cybersecurity risk \
    governance and management practices are. The organization declares them; they are not a \
    maturity score and are never derived from subcategory results.";
