# Refusals of settings and registrations, reasons and units the engine and the domain say
# (`crate::i18n::Said`): in the console's language there, in English in the APIs and the CLI.

## Numbers typed in a form
ui-refusal-whole_number = Enter a whole number from { $min } to { $max }.
ui-refusal-whole_number_unit = Enter a whole number from { $min } to { $max } ({ $unit }).
ui-refusal-resend_wait = The wait before sending again must be shorter than a code's lifetime.

## Branding
ui-refusal-product_name-empty = Enter the product name people see on every page and e-mail.
ui-refusal-product_name-long = Keep the product name to { $max } characters or fewer.
ui-refusal-product_name-control = The product name cannot hold line breaks or control characters.
ui-refusal-colour-form = Enter a colour as #rrggbb, like #1d4ed8.
ui-refusal-colour-contrast = White text on { $colour } has a contrast of { $contrast }:1; buttons need at least 4.5:1. Choose a darker colour.
ui-refusal-logo-empty = Choose an image file to upload.
ui-refusal-logo-too_big = The logo is { $size } KiB; the most it may be is { $max } KiB.
ui-refusal-logo-kind = The logo must be a PNG, JPEG, GIF or WebP image (SVG is not accepted).

## Client applications
ui-refusal-application-name = Give the application a name of up to { $max } characters.
ui-refusal-application-taken = An application of that name exists.
ui-refusal-application-starts = Write a whole number from 0 (no limit of its own) to { $max }.
ui-refusal-origin-no_scheme = { $raw } is not an origin: write it like https://app.example.
ui-refusal-origin-form = { $raw } is not an origin: a scheme and a host, like https://app.example.
ui-refusal-return_url = { $raw } is not a return URL: an https:// URL (http:// only for localhost).

## API tokens
ui-refusal-token_name = a token name is 1 to 64 letters, digits, dots, underscores or hyphens

## Extensions
ui-refusal-extension-name = Use 1 to 64 letters, digits, - or _, starting with a letter.
ui-refusal-extension-taken = There is already an extension called '{ $name }'.
ui-refusal-extension-url_form = Enter a full address, such as https://hooks.example.com/flows.
ui-refusal-extension-url_https = The address must start with https://.
ui-refusal-extension-url_credentials = Put no user name or password in the address: the calls are signed instead.
ui-refusal-extension-url_host = The address has no host, or has a #fragment.
ui-refusal-extension-url_private = That address is private, local or reserved: Flows only calls public services.
ui-refusal-extension-timeout = Give a timeout from 1 to { $max } milliseconds.
ui-refusal-extension-never_shared = '{ $name }' is never shared with an extension.
ui-refusal-extension-not_attribute = '{ $name }' is not an attribute name.
ui-refusal-extension-too_many = List at most { $max } attributes.
ui-refusal-extension-event = '{ $name }' is not an event; use { $events }.
ui-refusal-extension-on_failure = Choose allow or deny.
ui-refusal-extension-secret = Give a secret of 16 bytes or more (whsec_… as Standard Webhooks writes it), or leave it empty for Flows to make one.

## Connections
ui-refusal-connection-control = Remove the control characters (line breaks, tabs, NUL…) from it.
ui-refusal-connection-name = Use 1 to 40 lower-case letters, digits and hyphens, like google or staff-sso.
ui-refusal-connection-taken = There is already a connection called '{ $name }'.
ui-refusal-connection-preset = Choose oidc, google, microsoft, github or oauth2.
ui-refusal-connection-endpoint = Give the provider's https URL for it.
ui-refusal-connection-tenant = Put your Microsoft tenant id (or consumers) in place of TENANT.
ui-refusal-connection-discovery = Give the provider's https URL ending in /.well-known/openid-configuration.
ui-refusal-connection-client_id = Give the client id the provider issued.
ui-refusal-connection-client_secret = Give the client secret the provider issued.
ui-refusal-connection-scopes = Scopes are single words, and openid must be one of them (but for github and oauth2).
ui-refusal-connection-claim = '{ $claim }' is not a claim Flows reads; use { $claims }.
ui-refusal-connection-claim_sets = A claim cannot set '{ $attribute }'.

## Why a provider does not answer (the connection test); the detail is the provider's or the library's own words
ui-refusal-provider-bad_discovery_url = the discovery URL is not a URL ending in /.well-known/openid-configuration
ui-refusal-provider-discovery = discovery failed: { $detail }
ui-refusal-provider-exchange = the code exchange failed: { $detail }
ui-refusal-provider-no_id_token = the provider sent no ID token
ui-refusal-provider-id_token = the ID token was refused: { $detail }

## An administrator's message text or key; the detail is the Fluent parser's own words
ui-refusal-text-control = Remove the invisible control characters from this text.
ui-refusal-text-empty = The text is empty.
ui-refusal-text-syntax = Line { $line }, column { $column }: { $detail }.
ui-refusal-text-invalid = The text is not valid Fluent.
ui-refusal-text-one_message = The text must be one message: indent every line after the first.
ui-refusal-text-no_value = The text has no value, only attributes.
ui-refusal-text-reference = {"{"}{ $name }{"}"} names another message; to insert a value, write {"{"} ${ $name } {"}"}.
ui-refusal-text-key = “{ $key }” is not a message key: use words of letters, digits and _ joined by dots, like terms.nickname

## Durations, as the funnel speaks them
ui-duration-seconds = { $s } s
ui-duration-minutes = { $m } min { $s } s
ui-duration-hours = { $h } h { $m } min
ui-duration-days = { $d } d { $h } h
