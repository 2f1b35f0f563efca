/// Every metric crm exposes on `GET /metrics`, declared in one place with its help text and
/// labels. Label values are bounded sets (providers, event kinds, results, HTTP methods and
/// statuses, limiter scopes): never a unit id, phone number or address, which would grow the
/// series without bound.
package enum CRMMetrics {
    /// `result`: `applied`, `duplicate`, `ignored` (valid, changes nothing), `rejected`
    /// (parse failure, bad signature); `event`: a `WebhookEvent.Kind` raw value or `none`.
    package static let webhooksReceived = CounterMetric(
        "crm_webhooks_received_total",
        help: "Provider webhook requests received, by provider, normalized event and result.",
        labels: ["provider", "event", "result"]
    )

    package static let webhookDedupes = CounterMetric(
        "crm_webhook_dedupes_total",
        help: "Webhook events already applied (provider retries), absorbed without a change.",
        labels: ["provider"]
    )

    package static let webhookUnknownInstances = CounterMetric(
        "crm_webhook_unknown_instances_total",
        help: "Webhook events naming an instance or phone number id that the unit does not own.",
        labels: ["provider"]
    )

    package static let webhookParseFailures = CounterMetric(
        "crm_webhook_parse_failures_total",
        help: "Webhook bodies rejected with 400 because they are not JSON or lack what their event needs.",
        labels: ["provider"]
    )

    package static let webhookUnknownSecrets = CounterMetric(
        "crm_webhook_unknown_secrets_total",
        help: "Webhook requests whose URL secret matches no unit (answered 404, never stored)."
    )

    package static let webhookBadSignatures = CounterMetric(
        "crm_webhook_bad_signatures_total",
        help: "Meta webhook requests whose X-Hub-Signature-256 is missing or wrong.",
        labels: ["provider"]
    )

    /// `scope`: `client` (per remote address) or `unit`.
    package static let httpRateLimited = CounterMetric(
        "crm_http_rate_limited_total",
        help: "Requests refused with 429 by a token-bucket rate limit, by scope.",
        labels: ["scope"]
    )

    package static let httpRequests = CounterMetric(
        "crm_http_requests_total",
        help: "HTTP requests answered, by method and status code.",
        labels: ["method", "status"]
    )

    /// Apply time of one webhook body: storing it raw and applying its events in one transaction.
    package static let webhookApplySeconds = HistogramMetric(
        "crm_webhook_apply_seconds",
        help: "Time to store and apply one webhook body, in seconds.",
        labels: ["provider"],
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    )

    /// The retry rate is `rate(crm_outbound_retries_total[5m]) / rate(crm_outbound_sends_total[5m])`.
    package static let outboundSends = CounterMetric(
        "crm_outbound_sends_total",
        help: "Outbound send attempts to providers, by provider and result (sent, retry, failed).",
        labels: ["provider", "result"]
    )

    package static let outboundRetries = CounterMetric(
        "crm_outbound_retries_total",
        help: "Outbound messages scheduled for another attempt after a transient provider error.",
        labels: ["provider"]
    )

    /// Shows that the limiters' memory stays bounded under a flood of distinct addresses.
    package static let rateLimiterKeys = GaugeMetric(
        "crm_rate_limiter_keys",
        help: "Token buckets currently tracked by a rate limiter, by scope.",
        labels: ["scope"]
    )

    /// In exposition order.
    package static let all: [MetricDefinition] = [
        webhooksReceived.definition,
        webhookDedupes.definition,
        webhookUnknownInstances.definition,
        webhookParseFailures.definition,
        webhookUnknownSecrets.definition,
        webhookBadSignatures.definition,
        webhookApplySeconds.definition,
        httpRequests.definition,
        httpRateLimited.definition,
        rateLimiterKeys.definition,
        outboundSends.definition,
        outboundRetries.definition,
    ]
}
