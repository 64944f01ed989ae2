// Who a report is about: the site's name and place in the programme, as its YAML gives them.
public import PioneerCore

/// The site a report describes.
public struct SiteIdentity: Sendable, Hashable {
    public var id: String
    public var name: String
    public var region: String
    public var wave: String
    public var focus: [String]

    public init(id: String, name: String, region: String = "", wave: String = "", focus: [String] = []) {
        self.id = id
        self.name = name
        self.region = region
        self.wave = wave
        self.focus = focus
    }

    public init(site: Site) {
        self.init(id: site.id, name: site.name, region: site.region, wave: site.wave, focus: site.focus)
    }
}
