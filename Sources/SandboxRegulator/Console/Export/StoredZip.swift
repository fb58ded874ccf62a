import CZlib

/// A ZIP archive of stored (uncompressed) entries, as an XLSX file needs: local headers, the
/// central directory, the end record, each entry's CRC-32 from zlib. No compression: a console
/// list is small, and stored entries need no deflate stream to be right.
struct StoredZip {
    private var bytes: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    mutating func add(_ name: String, _ content: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = UInt32(content.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
        let offset = UInt32(bytes.count)
        // Local file header: version 2.0, flag bit 11 (UTF-8 names), method 0 (stored), no time.
        bytes += le32(0x0403_4b50) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
        bytes += le32(crc) + le32(UInt32(content.count)) + le32(UInt32(content.count)) + le16(UInt16(nameBytes.count)) + le16(0)
        bytes += nameBytes + content
        central += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
        central += le32(crc) + le32(UInt32(content.count)) + le32(UInt32(content.count)) + le16(UInt16(nameBytes.count))
        central += le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        count += 1
    }

    /// The archive: entries, central directory, end of central directory.
    var archive: [UInt8] {
        let start = UInt32(bytes.count)
        return bytes + central + le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
            + le32(UInt32(central.count)) + le32(start) + le16(0)
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)] }
}
