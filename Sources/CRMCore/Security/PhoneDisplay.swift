/// How crm shows a connected WhatsApp number to a person: recognisable (country, area code, last
/// four digits) without revealing it whole.
package enum PhoneDisplay {
    /// "5511987654321" → "+55 11 9****-4321"; "551187654321" → "+55 11 ****-4321"; other
    /// countries: "+4479****4321" (the `Masking.phone` rule with a plus).
    package static func masked(_ digits: String) -> String {
        let characters = Array(digits)
        guard characters.allSatisfy({ $0.isASCII && $0.isNumber }), characters.count >= 8 else {
            return "+" + Masking.phone(digits)
        }
        let tail = String(characters.suffix(4))
        if characters.starts(with: ["5", "5"]), characters.count == 12 || characters.count == 13 {
            let area = String(characters[2..<4])
            let lead = characters.count == 13 ? String(characters[4]) : ""
            return "+55 \(area) \(lead)****-\(tail)"
        }
        return "+" + Masking.phone(digits)
    }
}
