/// An optional day number (or count of days) in 4 bytes, for `MerchantPolicyState`. Day numbers
/// and day counts fit 32 bits for five million years; a value outside is clamped rather than
/// trapped on.
@propertyWrapper
public struct CompactDay: Sendable, Hashable {
    private var stored = Int32.min   // nil
    public init(wrappedValue: Int?) { self.wrappedValue = wrappedValue }
    public var wrappedValue: Int? {
        get { stored == .min ? nil : Int(stored) }
        set { stored = newValue.map { Int32(clamping: $0) } ?? .min }
    }
}
