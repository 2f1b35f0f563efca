/// Graph API error bodies: `{"error":{"message","type","code","error_subcode"?,"error_data"?,"fbtrace_id"}}`
/// (shapes of `meta/api/error-*.json`), each with the HTTP status Graph answers it with.
enum MetaErrors {
    static func body(
        _ message: String, type: String = "OAuthException", code: Int, subcode: Int? = nil,
        details: String? = nil, isTransient: Bool? = nil
    ) -> JSONValue {
        var error: [(String, JSONValue)] = [("message", .string(message)), ("type", .string(type))]
        if let isTransient { error.append(("is_transient", .bool(isTransient))) }
        error.append(("code", .int(code)))
        if let subcode { error.append(("error_subcode", .int(subcode))) }
        if let details { error.append(("error_data", ["messaging_product": "whatsapp", "details": .string(details)])) }
        error.append(("fbtrace_id", .string(MetaIdentifiers.fbtraceId())))
        return ["error": .object(error)]
    }

    /// 401, code 190: a wrong, missing or expired token.
    static var invalidToken: SimulatorReply {
        SimulatorReply(status: 401, body: body("Invalid OAuth access token - Cannot parse access token", code: 190))
    }

    /// 400, code 100 / subcode 33: an id that does not exist or that the token may not see.
    static func unknownObject(_ id: String, method: String) -> SimulatorReply {
        SimulatorReply(status: 400, body: body(
            "Unsupported \(method) request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            type: "GraphMethodException", code: 100, subcode: 33))
    }

    /// 400, code 100: a required parameter is missing or wrong.
    static func invalidParameter(_ message: String) -> SimulatorReply {
        SimulatorReply(status: 400, body: body("(#100) \(message)", code: 100))
    }

    static func nonexistingField(_ field: String) -> SimulatorReply {
        invalidParameter("Tried accessing nonexisting field (\(field)) on node type (WhatsAppBusinessPhoneNumber)")
    }

    /// 400, code 131030: a test number sending outside its allowed list.
    static var recipientNotAllowed: SimulatorReply {
        SimulatorReply(status: 400, body: body(
            "(#131030) Recipient phone number not in allowed list", code: 131030,
            details: "Recipient phone number not in allowed list: Add recipient phone number to recipient list and try again."))
    }

    /// 404, code 132001: no approved template with that name in that language (Graph's wording).
    static func templateNotFound(name: String, language: String) -> SimulatorReply {
        SimulatorReply(status: 404, body: body(
            "(#132001) Template name does not exist in the translation", code: 132001,
            details: "template name (\(name)) does not exist in \(language)"))
    }

    /// 400, code 132000: the body parameters given do not match the template's variables.
    static func templateParameterCount(given: Int, expected: Int) -> SimulatorReply {
        SimulatorReply(status: 400, body: body(
            "(#132000) Number of parameters does not match the expected number of params", code: 132000,
            details: "body: number of localizable_params (\(given)) does not match the expected number of params (\(expected))"))
    }

    /// 400, code 2200: the callback URL failed the verification handshake (as Graph words it for
    /// app subscriptions; the phone-number override's exact answer is not documented).
    static func callbackVerificationFailed(_ detail: String) -> SimulatorReply {
        SimulatorReply(status: 400, body: body("(#2200) Callback verification failed with the following errors: \(detail)", code: 2200))
    }

    /// What an injected status fault answers on a Graph route.
    static func fault(status: Int) -> SimulatorReply {
        switch status {
        case 401: invalidToken
        case 429: SimulatorReply(status: 429, body: body("(#4) Application request limit reached", code: 4, isTransient: true))
        case 400..<500: invalidParameter("Invalid parameter")
        case 503: SimulatorReply(status: 503, body: body("(#2) Service temporarily unavailable", code: 2, isTransient: true))
        default: SimulatorReply(status: status, body: body("An unknown error has occurred.", code: 1, isTransient: true))
        }
    }
}
