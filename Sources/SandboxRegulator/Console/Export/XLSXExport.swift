import Hummingbird

/// A console list as an Excel workbook (staff live in Excel): one sheet, the header row bold-free
/// and plain, every cell an inline string — so a USCC or a merchant id is never turned into a
/// number or a date, and no formula can arise from a merchant's text. The smallest set of parts
/// Office Open XML needs, in a stored ZIP (StoredZip).
struct XLSXExport {
    var headers: [String]
    var rows: [[String]]

    var archive: [UInt8] {
        var zip = StoredZip()
        zip.add("[Content_Types].xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            </Types>
            """.utf8))
        zip.add("_rels/.rels", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """.utf8))
        zip.add("xl/workbook.xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>
            """.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            </Relationships>
            """.utf8))
        zip.add("xl/worksheets/sheet1.xml", Array(sheet.utf8))
        return zip.archive
    }

    var sheet: String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
            + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, row) in ([headers] + rows).enumerated() {
            xml += "<row r=\"\(r + 1)\">"
            for (col, value) in row.enumerated() {
                xml += "<c r=\"\(Self.column(col))\(r + 1)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.xmlText(value))</t></is></c>"
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// A, B, … Z, AA, AB, …
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let d = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + d))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Escaped for XML text, without the control characters XML 1.0 cannot carry at all.
    static func xmlText(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            default: if c.value >= 0x20 && c.value != 0xFFFE && c.value != 0xFFFF { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    func response(name: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(archive)
        return Response(status: .ok, headers: [
            .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            .contentDisposition: "attachment; filename=\"\(name).xlsx\"",
        ], body: .init(byteBuffer: buffer))
    }
}
