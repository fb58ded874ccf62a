/// The statement both writers run per enterprise (PostgreSQL over an array): the regions of its
/// storefronts, if it has a case. `source` names the USCCs as a row source aliased `t(uscc)`.
enum LeadRegions {
    static func insert(usccs source: String) -> String {
        """
        INSERT INTO lead_regions (region, uscc)
        SELECT DISTINCT json_extract(m.data, '$.region_code'), m.uscc FROM \(source)
        JOIN records m ON m.uscc = t.uscc AND m.type = 'merchant'
        WHERE json_extract(m.data, '$.region_code') IS NOT NULL
          AND EXISTS (SELECT 1 FROM records c WHERE c.uscc = t.uscc AND c.type = 'case')
        ON CONFLICT (region, uscc) DO NOTHING
        """
    }
}
