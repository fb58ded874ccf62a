/// Version string of the reference regulator, reported by /healthz.
public enum RegulatorVersion {
    public static let current = "0.1.0"
}
