/// A bar chart as SVG, drawn on the server: readable without JavaScript, printable, and allowed by
/// a CSP without inline script or style (SVG's presentation attributes are neither). Each group
/// is a month; each series a colour, named in the legend and in every bar's <title>.
struct TrendChart {
    struct Series { var name: String; var colour: String; var values: [Int] }
    var caption: String
    var labels: [String]
    var series: [Series]

    func svg() -> HTML {
        let width = 640, height = 240, left = 40, bottom = 30, top = 30
        let plot = height - bottom - top
        let peak = max(1, series.flatMap(\.values).max() ?? 1)
        let groupWidth = labels.isEmpty ? 0 : (width - left - 10) / labels.count
        let barWidth = max(4, (groupWidth - 8) / max(1, series.count))
        var parts: [HTML] = []
        parts.append("<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 5)\" y2=\"\(height - bottom)\" stroke=\"#555\"/>")
        parts.append("<text x=\"4\" y=\"\(top + 4)\" font-size=\"11\">\(peak)</text>")
        parts.append("<text x=\"4\" y=\"\(height - bottom)\" font-size=\"11\">0</text>")
        for (g, label) in labels.enumerated() {
            let x0 = left + g * groupWidth + 4
            for (s, one) in series.enumerated() {
                let value = g < one.values.count ? one.values[g] : 0
                let h = value * plot / peak
                parts.append("""
                    <rect x="\(x0 + s * barWidth)" y="\(height - bottom - h)" width="\(barWidth - 1)" height="\(h)" fill="\(one.colour)">\
                    <title>\(label) \(one.name): \(value)</title></rect>
                    """)
            }
            parts.append("<text x=\"\(x0)\" y=\"\(height - bottom + 16)\" font-size=\"11\">\(label)</text>")
        }
        for (s, one) in series.enumerated() {
            let x = left + s * 150
            parts.append("<rect x=\"\(x)\" y=\"6\" width=\"10\" height=\"10\" fill=\"\(one.colour)\"/>")
            parts.append("<text x=\"\(x + 14)\" y=\"15\" font-size=\"12\">\(one.name)</text>")
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-label="\(caption)">
            <title>\(caption)</title>
            \(HTML(joining: parts))
            </svg>
            """
    }
}
