extension Duration {
    /// The duration in seconds, for logs, timings and waits given in seconds. One conversion for
    /// the house: the policy pass, its writer and runner, and the regulator each wrote their own.
    @inlinable
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
