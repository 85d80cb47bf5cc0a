//! Practitioner vocabulary -> the concepts it is about, written for this project.
//!
//! Security people search with product categories ("EDR"), programme artefacts ("RACI"),
//! incident-handling verbs ("isolate", "reimage"), regulation names ("HIPAA") and identity
//! jargon ("JML"). The framework describes outcomes in its own, more general words. Each row
//! names the terms a practitioner types and the plain concepts those terms are about; a query
//! that contains a term is also searched for its concepts, a little below the typed words.
//!
//! Rows map terms to concepts, never to CSF ids, so they hold whatever the query. A concept is
//! worded the way the catalog or the SP 800-53 control words (`build/controls.rs`) would say it.

pub static CONCEPTS: &[(&[&str], &[&str])] = &[
    // ---- product and tool categories
    (
        &[
            "edr",
            "xdr",
            "endpoint detection",
            "endpoint protection",
            "epp",
        ],
        &[
            "endpoint monitoring",
            "malware detection",
            "system monitoring",
        ],
    ),
    (
        &["antivirus", "anti-virus", "anti-malware", "av"],
        &["malware", "malicious code"],
    ),
    (
        &["firewall", "firewalls", "ngfw", "next-gen firewall", "waf"],
        &["boundary protection", "network traffic filtering"],
    ),
    (
        &[
            "ids",
            "ips",
            "nids",
            "intrusion detection",
            "intrusion prevention",
        ],
        &["intrusion detection", "network monitoring"],
    ),
    (
        &["vpn", "ztna", "remote workers", "remote work", "telework"],
        &["remote access", "network access"],
    ),
    (
        &["nac", "network access control"],
        &["network access", "device authentication"],
    ),
    (
        &["casb", "shadow it"],
        &[
            "cloud services",
            "unauthorized software",
            "software inventory",
        ],
    ),
    (
        &["cspm", "misconfiguration", "misconfigurations"],
        &["configuration settings", "configuration management"],
    ),
    (
        &["mdm", "emm", "uem", "mobile device management"],
        &["mobile devices", "configuration", "hardware inventory"],
    ),
    (
        &["hsm", "kms", "key vault", "key management"],
        &["cryptographic key management", "encryption"],
    ),
    (
        &[
            "secrets",
            "secrets vault",
            "secrets manager",
            "api keys",
            "api key",
        ],
        &["credentials", "cryptographic keys"],
    ),
    (
        &["password manager", "passwords", "password"],
        &["passwords", "credentials", "authenticators"],
    ),
    (
        &["iga", "identity governance"],
        &["access reviews", "accounts", "access permissions"],
    ),
    (
        &[
            "idp",
            "identity provider",
            "okta",
            "entra",
            "active directory",
        ],
        &["identity provider", "authentication", "accounts"],
    ),
    (
        &["cmdb", "configuration management database"],
        &["asset inventory", "configuration"],
    ),
    (
        &["grc", "grc tool"],
        &["risk management", "compliance", "policy"],
    ),
    (
        &[
            "vulnerability scanner",
            "vulnerability scanning",
            "vuln scanner",
            "scanner",
        ],
        &["vulnerability scanning", "vulnerabilities identified"],
    ),
    (
        &[
            "sast",
            "dast",
            "code scanning",
            "static analysis",
            "code review",
        ],
        &[
            "developer security testing",
            "code analysis",
            "secure software development",
        ],
    ),
    (
        &[
            "sca",
            "software composition analysis",
            "open source libraries",
            "dependencies scanning",
        ],
        &[
            "software components",
            "vulnerabilities",
            "secure software development",
        ],
    ),
    (
        &["honeypot", "honeypots", "deception"],
        &["intrusion detection", "adverse events"],
    ),
    (
        &["ueba", "behaviour analytics", "behavior analytics"],
        &["personnel activity monitoring", "anomalies"],
    ),
    (
        &[
            "email security",
            "email gateway",
            "email filtering",
            "spam filter",
        ],
        &["email", "phishing", "malware"],
    ),
    (
        &["ups", "generator", "generators", "power outage"],
        &["emergency power", "environmental threats"],
    ),
    (
        &["cctv", "camera", "cameras", "video surveillance"],
        &["physical access monitoring", "surveillance"],
    ),
    (
        &["badge", "badges", "badge readers", "keycard", "door access"],
        &["physical access"],
    ),
    (
        &["ddos", "dos attack", "denial of service"],
        &["denial of service", "capacity", "availability"],
    ),
    (
        &["load balancer", "autoscaling", "auto-scaling"],
        &["capacity", "availability"],
    ),
    (&["sandbox", "detonation"], &["malicious code"]),
    (
        &["soar", "automation playbooks"],
        &["incident response plan", "incident handling"],
    ),
    // ---- identity jargon
    (
        &[
            "jml",
            "joiner mover leaver",
            "joiners movers leavers",
            "onboarding and offboarding",
        ],
        &[
            "account lifecycle",
            "provisioning deprovisioning",
            "access permissions",
        ],
    ),
    (
        &[
            "recertification",
            "access review",
            "access reviews",
            "entitlement review",
            "attestation",
        ],
        &["access permissions reviewed", "access reviews"],
    ),
    (
        &["rbac", "abac", "role-based access", "who has access"],
        &["access permissions", "authorizations"],
    ),
    (
        &[
            "saml",
            "oidc",
            "oauth",
            "openid",
            "federation",
            "jwt",
            "claims",
        ],
        &["identity assertions", "federation", "tokens"],
    ),
    (
        &[
            "fido2", "fido", "webauthn", "passkey", "passkeys", "yubikey", "otp", "totp",
        ],
        &["multi-factor authentication", "authenticators"],
    ),
    (&["passwordless"], &["authentication", "authenticators"]),
    (
        &[
            "service account",
            "service accounts",
            "machine identities",
            "non-human identities",
        ],
        &["service identities credentials", "accounts"],
    ),
    (
        &[
            "just-in-time",
            "jit",
            "standing privileges",
            "admin rights",
            "admin access",
        ],
        &["privileged access", "least privilege"],
    ),
    (&["sod", "segregation of duties"], &["separation of duties"]),
    (
        &["kyc", "identity verification", "verify identity"],
        &["identity proofing"],
    ),
    (
        &["rotate", "rotation", "credential rotation"],
        &["credentials", "authenticator management"],
    ),
    (
        &[
            "terminated employees",
            "leavers",
            "offboarding",
            "termination",
        ],
        &["deprovisioning", "revoke access", "personnel termination"],
    ),
    (
        &["shared accounts", "shared passwords"],
        &["credentials", "accounts"],
    ),
    // ---- programme artefacts and governance
    (&["raci"], &["roles responsibilities", "authorities"]),
    (
        &[
            "board",
            "board of directors",
            "executives",
            "c-suite",
            "senior management",
        ],
        &["leadership", "oversight"],
    ),
    (
        &["budget", "funding", "headcount", "staffing"],
        &["resources", "security budget"],
    ),
    (
        &["dashboard", "kpis", "scorecard"],
        &["performance", "metrics"],
    ),
    (
        &["poa&m", "poam", "plan of action"],
        &["plan of action milestones", "risk response tracking"],
    ),
    (
        &["risk register", "risk log"],
        &["risk register", "risks documented prioritized"],
    ),
    (
        &["exception", "exceptions", "waiver", "waivers"],
        &["exceptions", "risk acceptance"],
    ),
    (
        &["cab", "change advisory board", "change request"],
        &["change management", "change control"],
    ),
    (
        &[
            "data flow diagram",
            "data flow diagrams",
            "dfd",
            "network diagram",
            "architecture diagram",
        ],
        &["network data flows", "network communication"],
    ),
    (
        &[
            "data classification",
            "classification scheme",
            "sensitivity labels",
        ],
        &["classification", "data types", "sensitive data"],
    ),
    (
        &["playbook", "playbooks", "runbook", "runbooks"],
        &["procedures", "plans"],
    ),
    (
        &[
            "lessons learned",
            "post-mortem",
            "postmortem",
            "post-incident review",
            "retrospective",
            "after-action",
            "after action",
        ],
        &["lessons learned", "improvements"],
    ),
    (
        &["maturity", "maturity assessment", "benchmarking"],
        &["performance evaluated", "improvements"],
    ),
    (&["roadmap"], &["strategy", "strategic direction"]),
    (&["erm"], &["enterprise risk management"]),
    (
        &["cyber insurance", "insurance", "risk transfer"],
        &["cybersecurity insurance", "risk response"],
    ),
    (
        &["acceptable use", "aup", "rules of behavior"],
        &["policy", "personnel expectations"],
    ),
    (
        &[
            "background check",
            "background checks",
            "screening",
            "vetting",
        ],
        &["personnel screening", "human resources"],
    ),
    (
        &["culture", "tone at the top"],
        &["leadership", "risk-aware culture"],
    ),
    (
        &["mission statement", "business objectives", "business goals"],
        &["mission", "priorities"],
    ),
    // ---- third parties
    (
        &[
            "fourth-party",
            "fourth party",
            "nth party",
            "subcontractor",
            "subcontractors",
        ],
        &["suppliers", "supply chain"],
    ),
    (
        &[
            "questionnaire",
            "questionnaires",
            "sig",
            "caiq",
            "vendor assessment",
        ],
        &["supplier assessment", "due diligence"],
    ),
    (
        &[
            "soc 2",
            "soc2",
            "iso 27001",
            "attestation report",
            "assurance report",
        ],
        &["supplier assessment", "audit"],
    ),
    (
        &[
            "msp",
            "mssp",
            "managed service provider",
            "outsourcing",
            "saas",
            "cloud provider",
            "csp",
        ],
        &["external service providers", "suppliers"],
    ),
    (
        &[
            "right to audit",
            "contract clause",
            "msa",
            "sla",
            "dpa",
            "contractual",
        ],
        &["contracts", "agreements"],
    ),
    (
        &["shared responsibility"],
        &["roles responsibilities", "suppliers"],
    ),
    (
        &["contract end", "exit plan", "vendor offboarding"],
        &["conclusion of agreement", "end of relationship"],
    ),
    // ---- assets, platforms and infrastructure
    (
        &[
            "laptop",
            "laptops",
            "desktop",
            "desktops",
            "workstation",
            "workstations",
            "server",
            "servers",
        ],
        &["hardware", "computing devices", "endpoints"],
    ),
    (
        &[
            "keep track",
            "track of",
            "list of",
            "register of",
            "catalogue",
            "catalog of",
        ],
        &["inventory", "inventories"],
    ),
    (
        &["eol", "end-of-life", "end of life", "unsupported", "legacy"],
        &["unsupported", "replaced removed", "life cycle"],
    ),
    (
        &[
            "sanitization",
            "sanitisation",
            "wipe",
            "shred",
            "disposal",
            "decommission",
        ],
        &["disposal", "sanitization", "destroyed"],
    ),
    (
        &[
            "cis benchmark",
            "cis benchmarks",
            "stig",
            "hardening",
            "baseline",
            "baselines",
        ],
        &["configuration baselines", "hardening"],
    ),
    (&["golden image", "gold image"], &["baseline configuration"]),
    (
        &["usb", "thumb drive", "removable media", "usb drives"],
        &["removable media"],
    ),
    (
        &[
            "allowlist",
            "allowlisting",
            "whitelist",
            "whitelisting",
            "blocklist",
            "blacklist",
        ],
        &["unauthorized software", "allowlist"],
    ),
    (
        &[
            "installing apps",
            "install software",
            "installing software",
            "user-installed",
        ],
        &["unauthorized software", "user-installed software"],
    ),
    (&["firmware"], &["hardware", "firmware"]),
    (
        &[
            "high availability",
            "ha",
            "failover",
            "redundancy",
            "redundant",
        ],
        &["resilience", "redundancy", "failover"],
    ),
    (&["capacity planning"], &["capacity"]),
    (
        &[
            "segmentation",
            "microsegmentation",
            "micro-segmentation",
            "vlan",
            "dmz",
        ],
        &["network segmentation", "boundary protection"],
    ),
    (&["ics", "scada"], &["operational technology"]),
    (
        &["tls", "ssl", "https", "in transit"],
        &["data-in-transit", "encryption in transit"],
    ),
    (
        &[
            "at rest",
            "fde",
            "full disk encryption",
            "bitlocker",
            "disk encryption",
        ],
        &["data-at-rest", "encryption at rest"],
    ),
    (
        &["masking", "data masking"],
        &["data-at-rest", "sensitive data"],
    ),
    (
        &["confidential computing", "enclave", "enclaves", "in memory"],
        &["data-in-use"],
    ),
    (
        &[
            "pii",
            "personal data",
            "phi",
            "cardholder data",
            "customer data",
        ],
        &["sensitive data", "personal information"],
    ),
    (
        &["data retention", "retention"],
        &["retention", "destruction"],
    ),
    (
        &["fire", "flood", "hvac", "earthquake"],
        &["environmental threats"],
    ),
    (
        &[
            "syslog",
            "log collection",
            "centralized logging",
            "log management",
        ],
        &["log records", "logs"],
    ),
    (&["tampered", "tamper", "tampering"], &["integrity"]),
    // ---- detection and monitoring
    (
        &["threat hunting"],
        &["threat hunting", "anomalies", "adverse events"],
    ),
    (
        &["lateral movement", "attacker", "intruder", "intrusion"],
        &["network monitoring", "adverse events", "unauthorized"],
    ),
    (
        &[
            "impossible travel",
            "anomalous login",
            "suspicious login",
            "strange country",
        ],
        &[
            "personnel activity monitoring",
            "authentication",
            "anomalies",
        ],
    ),
    (&["alert", "alerts"], &["adverse events"]),
    (
        &["24x7", "24/7", "around the clock"],
        &["continuous monitoring"],
    ),
    (
        &["insider threat", "insiders"],
        &["personnel activity", "insider threat"],
    ),
    // ---- incident handling
    (
        &["ransomware"],
        &["malware", "backups", "recovery", "restoration"],
    ),
    (
        &["breach", "breaches", "compromise", "compromised", "hacked"],
        &["incident"],
    ),
    (
        &["isolate", "quarantine", "containment", "contain"],
        &["contained", "containment"],
    ),
    (
        &[
            "reimage",
            "re-image",
            "rebuild",
            "eradicate",
            "remove persistence",
            "kick out",
        ],
        &["eradicated", "eradication"],
    ),
    (&["triage"], &["triaged", "validated"]),
    (
        &["severity", "sev1", "severity levels", "priority levels"],
        &["categorized prioritized", "incident criteria"],
    ),
    (&["escalate", "escalation"], &["escalated", "elevated"]),
    (
        &["notify", "notification", "disclose"],
        &["notified", "stakeholders"],
    ),
    (
        &[
            "regulators",
            "regulator",
            "authorities",
            "supervisory authority",
        ],
        &["regulatory requirements", "notified"],
    ),
    (
        &[
            "press",
            "press release",
            "media statement",
            "public statement",
        ],
        &["public updates", "approved messaging"],
    ),
    (
        &[
            "forensics",
            "forensic",
            "chain of custody",
            "evidence",
            "imaging",
        ],
        &[
            "incident data integrity provenance",
            "investigation records",
        ],
    ),
    (&["rca"], &["root cause"]),
    (&["blast radius", "scope"], &["magnitude", "scope impact"]),
    (
        &["restore", "restores", "restoring", "restoration"],
        &["restoration", "recovery", "backups"],
    ),
    (
        &["back online", "bring back", "get operations back"],
        &["restored", "operational", "recovery"],
    ),
    (
        &["retainer", "dfir", "ir firm"],
        &["incident response", "third parties"],
    ),
    (
        &["ioc", "iocs", "indicators of compromise"],
        &["indicators of compromise", "threat intelligence"],
    ),
    (
        &["isac", "isao", "sharing community"],
        &["information sharing forums", "share information"],
    ),
    (
        &["status updates", "status update", "sitrep"],
        &["progress communicated", "stakeholders"],
    ),
    (
        &["incident over", "close the incident", "close out"],
        &["end of recovery", "declared"],
    ),
    (&["outage", "downtime"], &["availability", "recovery"]),
    // ---- regulation, audit and testing
    (
        &[
            "gdpr",
            "ccpa",
            "hipaa",
            "pci",
            "pci dss",
            "sox",
            "glba",
            "ferpa",
            "cmmc",
            "fedramp",
            "nis2",
            "dora",
            "sec",
            "compliance",
            "regulation",
            "regulations",
            "regulatory",
            "law",
            "laws",
        ],
        &["legal regulatory requirements", "compliance obligations"],
    ),
    (
        &["72 hours", "breach notification", "disclosure rules"],
        &["notified", "legal regulatory requirements"],
    ),
    (
        &["audit", "auditors", "internal audit", "audit findings"],
        &["evaluations", "assessments", "audit"],
    ),
    (
        &["red team", "purple team", "penetration test results"],
        &["penetration testing", "security tests exercises"],
    ),
    (
        &[
            "bug bounty",
            "vdp",
            "responsible disclosure",
            "coordinated disclosure",
            "security researcher",
        ],
        &["vulnerability disclosures"],
    ),
    (&["cve", "cves", "cvss", "kev"], &["vulnerabilities"]),
    (
        &[
            "threat model",
            "threat modeling",
            "threat modelling",
            "stride",
        ],
        &["threats", "risk assessment", "design"],
    ),
    (
        &["counterfeit", "fake hardware", "tampered hardware"],
        &["authenticity integrity", "counterfeit"],
    ),
    (
        &[
            "code signing",
            "signature",
            "signatures",
            "checksum",
            "checksums",
        ],
        &["integrity", "authenticity"],
    ),
];

/// Words a question carries that say nothing about its subject ("How should we ...?",
/// "Which outcome covers ..."). Dropped from queries only: the index keeps them.
pub static QUERY_FILLER: &[&str] = &[
    "actually",
    "covers",
    "cover",
    "csf",
    "do",
    "does",
    "framework",
    "get",
    "got",
    "have",
    "help",
    "make",
    "my",
    "need",
    "nist",
    "outcome",
    "outcomes",
    "should",
    "sure",
    "us",
    "want",
    "way",
    "ways",
    "we",
    "what",
    "where",
    "which",
    "will",
    "would",
    "you",
    "your",
];
