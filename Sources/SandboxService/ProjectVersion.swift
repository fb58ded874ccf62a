/// The version of both programs: `--version`, the regulator's /healthz, the agent's
/// `sandbox_agent_build_info` metric. One number, because the agent and the regulator ship together
/// (the same release carries the API both sides speak).
public enum ProjectVersion {
    public static let current = "0.5.0"
}
