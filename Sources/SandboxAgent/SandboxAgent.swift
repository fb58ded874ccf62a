enum SandboxAgentPlaceholder {}
