/// The fuzzer's bytes as every harness reads them: the first byte chooses the options (the
/// encoding, gzip, small bounds so refills and over-long records are reached with short inputs),
/// the rest is the input.
struct FuzzInput {
    let options: UInt8
    let bytes: [UInt8]

    init?(_ data: UnsafePointer<UInt8>, _ size: Int) {
        guard size >= 1 else { return nil }
        options = data[0]
        bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    }

    /// Bit 0: the input is gzip (the regulator's harnesses).
    var gzip: Bool { options & 1 == 1 }
    /// Bit 7: small line bounds.
    var smallLines: Bool { options & 0x80 != 0 }
}
