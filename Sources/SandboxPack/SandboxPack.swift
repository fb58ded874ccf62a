// SandboxPack: the rule pack at the edges (docs/policy.md §2). TOML text becomes the core's
// neutral pack document (the compiler in SandboxPolicy does the rest), and packs are signed
// and verified with Ed25519 over their exact bytes.
