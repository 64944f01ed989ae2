// A plugin's one name in its two spellings: the YAML name sites use (`care-home-deaths`) and
// the folder under Plugins/ the module and type are named after (`CareHomeDeaths`).

extension PluginCatalogue {
    /// The YAML name of the plugin in folder `folder`: its words in lowercase joined by hyphens.
    /// A word starts at a capital after a small letter or digit (`HomeDeaths`), or at the last
    /// capital of an acronym followed by a small letter (`ADXReturn` → `adx-return`).
    public static func pluginName(folder: String) -> String {
        let letters = Array(folder)
        var name = ""
        for (index, letter) in letters.enumerated() {
            if letter.isUppercase, index > 0 {
                let previous = letters[index - 1]
                let next = index + 1 < letters.count ? letters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    name += "-"
                }
            }
            name += letter.lowercased()
        }
        return name
    }
}
