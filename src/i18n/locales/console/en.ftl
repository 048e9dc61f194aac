# The console's own words (keys `ui.…`), in the same catalogues as the hosted pages, so an
# administrator's language and a changed text work alike. Appended to ../en.ftl at build.

## The layout
ui-skip = Skip to main content
ui-brand = { $product } console
ui-nav = Console
ui-nav-users = Users
ui-nav-invitations = Invitations
ui-nav-approvals = Approvals
ui-nav-flows = Flows
ui-nav-texts = Texts
ui-nav-tokens = API tokens
ui-nav-extensions = Extensions
ui-nav-connections = Connections
ui-nav-settings = Settings
ui-nav-audit = Audit log
ui-nav-funnel = Funnel
ui-nav-admins = Administrators
ui-nav-sign_out = Sign out
ui-crumbs = Breadcrumb
ui-crumb-console = Console
ui-errors-title = There is a problem
ui-errors-prefix = Error:

## Flow types
ui-flow_type-registration = Self registration
ui-flow_type-password_recovery = Password recovery
ui-flow_type-invited_user_registration = Invited user registration

## Sign-in
ui-login-title = Sign in to the console
ui-login-expired = Your console session ended after a while without use. Sign in again to go on.
ui-login-email = E-mail address
ui-login-password = Password
ui-login-button = Sign in

## Your account
ui-account-title = Your account
ui-account-signed_in_as = Signed in as { $email }.
ui-account-password-title = Change your password
ui-account-password-current = Current password
ui-account-password-new = New password
ui-account-password-hint = At least { $min } characters, not a common password.
ui-account-password-button = Change password
ui-account-password-note = Changing your password signs you out of the console everywhere else.
ui-account-password-changed = Your password was changed.
ui-account-password-wrong = Your current password is not right.
ui-account-password-blocked = Too many wrong passwords for this address. Try again in { $minutes } minutes.
ui-account-language-title = Console language
ui-account-language-label = The console speaks
ui-account-language-browser = As my browser asks
ui-account-language-button = Save the language
ui-account-language-saved = The console speaks { $language } to you now.
ui-account-language-follows = The console follows your browser's language now.

## The home
ui-home-title = Console
ui-flows-title = Flows
ui-home-find_text = Find a text to change (key or words, any language)
ui-home-find = Find
ui-today-title = What needs you today
ui-today-nothing = Nothing waits on you: no approval, no failing delivery, every flow on.
ui-today-approvals = { $count ->
    [one] 1 account waits for approval
   *[other] { $count } accounts wait for approval
}
ui-today-renewals = { $count ->
    [one] 1 invitee asks for a new link
   *[other] { $count } invitees ask for a new link
}
ui-today-mail_failed = { $count ->
    [one] 1 message could not be sent
   *[other] { $count } messages could not be sent
}
ui-today-deliveries_failed = { $count ->
    [one] 1 webhook delivery failed
   *[other] { $count } webhook deliveries failed
}
ui-today-flow_off = { $flow } is switched off
ui-today-unopened = { $count ->
    [one] 1 invitation not opened yet
   *[other] { $count } invitations not opened yet
}
ui-today-funnel_drop = { $flow }: { $now } % of the journeys started last week finished, against { $before } % the week before
ui-home-registrations = Registrations
ui-home-today = Today
ui-home-week = This week
ui-home-mail = Mail
ui-home-nothing_sent = Nothing sent yet.
ui-home-mail-waiting = Waiting
ui-home-mail-sent = Sent
ui-home-mail-failed = Failed
ui-home-failed-title = Mail the outbox gave up on
ui-home-failed-to = To
ui-home-failed-subject = Subject
ui-home-failed-tries = Tries
ui-home-failed-error = Last error
ui-home-failed-queued = Queued
ui-home-failed-actions = Actions
ui-home-failed-retry = Retry
ui-home-failed-retry_to = the mail to { $to }
ui-home-recent = Recent changes
ui-home-recent-when = When
ui-home-recent-who = Who
ui-home-recent-what = What
ui-home-recent-subject = Subject
ui-card-state = State
ui-card-enabled = Enabled
ui-card-disabled = Disabled
ui-card-published = Published
ui-card-version = Version { $version }, { $name }
ui-card-by = by { $author }, { $at }
ui-card-nothing_published = Nothing published
ui-card-draft = Draft
ui-card-edited = Edited by { $author }, { $at }
ui-card-valid = Valid
ui-card-problems = { $count ->
    [one] 1 problem
   *[other] { $count } problems
}
ui-card-no_draft = None
ui-card-view = View
ui-card-view_published = View the published flow
ui-card-edit_draft = Edit the draft
ui-card-history = History

## Texts and translations
ui-texts-title = Texts and translations
ui-texts-search = Key or text, any language
ui-texts-missing = Missing in
ui-texts-any_language = (any language)
ui-texts-find = Find
ui-texts-all_groups = All groups
ui-texts-search_all = Search every group
ui-texts-groups = Groups
ui-texts-intro = A label, hint or text in a flow is written as it is, or as a message key { "{{" }t(key){ "}}" }: then it shows the key's text in the person's language. A changed text shows at once; empty a field to go back to the built-in text. Texts use Fluent: { "{" } $email { "}" } shows a collected value.
ui-texts-keys = { $count ->
    [one] 1 key
   *[other] { $count } keys
}
ui-texts-missing_in = { $count } missing in { $language }
ui-texts-emails = The e-mails have a page of their own, with the placeholders each text is given, a preview and a test send:
ui-texts-emails_link = E-mail texts
ui-texts-files = A language as a file
ui-texts-files-intro = Download a language as a Fluent file (.ftl, the format of the built-in catalogues), have it translated, and upload it back. The whole file is checked before anything changes; keys the file leaves out keep their text.
ui-texts-download = Download { $language }
ui-texts-file_language = Language of the file
ui-texts-file = Fluent file
ui-texts-upload = Upload the texts
ui-texts-found = { $what }: { $count ->
    [one] 1 key
   *[other] { $count } keys
}
ui-texts-page_of = page { $page } of { $pages }
ui-texts-none = No key matches.
ui-texts-see_groups = See every group
ui-texts-in_editor = in the editor
ui-texts-changed = Changed
ui-texts-no_language = No { $language }
ui-texts-used_by = Used by { $uses }.
ui-texts-built_in = Built-in: { $text }
ui-texts-no_built_in = No built-in text: English shows, or the key itself.
ui-texts-save = Save the texts
ui-texts-save_of = of { $key }
ui-texts-previous = Previous
ui-texts-next = Next
ui-texts-pages = Pages
ui-texts-page = Page { $page } of { $pages }
ui-texts-new = A new message
ui-texts-new-intro = Give it a key such as terms.nickname, then write { "{{" }t(terms.nickname){ "}}" } as a label or text in a flow.
ui-texts-new-key = Key
ui-texts-new-add = Add the message
ui-texts-import-refused = The file was not imported
ui-texts-import-problems = Problems in the { $language } file
ui-texts-import-line = Line
ui-texts-import-problem = Problem
ui-texts-import-mend = Mend the file and upload it again from
ui-login-csrf = For your security the form could not be sent. Try again.
ui-login-wrong = The e-mail address or the password is not right.
ui-login-blocked = Too many failed sign-ins for this address. Try again in { $minutes } minutes.
ui-texts-group-mail = E-mails and text messages
ui-texts-group-errors = Errors and problem pages
ui-texts-group-pages = Labels, buttons and page texts
ui-texts-group-console = The console's own words
ui-texts-group-own = Your own keys
ui-texts-section-step = { $flow }: step “{ $step }”
ui-texts-section-mail = E-mails
ui-texts-section-sms = Text messages
ui-texts-section-error = Beside a field
ui-texts-section-errors = Error summary
ui-texts-section-problem = Problem pages
ui-texts-section-field = Fields
ui-texts-section-button = Buttons
ui-texts-section-link = Links
ui-texts-section-notice = Notices
ui-texts-section-other = “{ $word }”
ui-texts-heading-step = step “{ $step }”
ui-texts-heading-key = key “{ $key }”
ui-texts-heading-search = containing “{ $text }”
ui-texts-heading-missing = missing in { $language }
ui-texts-use-published = { $flow }, step “{ $step }” (published)
ui-texts-use-draft = { $flow }, step “{ $step }” (draft)
ui-texts-no_text = (no text yet)
ui-texts-saved = Texts of “{ $key }” saved: they show at once.
ui-texts-unchanged = Nothing to change in “{ $key }”.
ui-texts-new-empty = Give the new message a text in at least one language.
ui-texts-imported = { $language } texts imported: { $changed } changed, { $reset } back to the built-in text, { $unchanged } as they were.
ui-texts-import-count = { $count ->
    [one] 1 problem in the file: nothing was changed.
   *[other] { $count } problems in the file: nothing was changed.
}
ui-texts-import-too_large = the file is larger than { $kib } KiB
ui-texts-import-not_utf8 = the file is not UTF-8 text
ui-texts-import-no_language = choose the language of the file
ui-texts-import-no_file = choose a file

## The flow diagram
ui-diagram-title = Diagram of the flow “{ $name }”: { $count ->
    [one] 1 step
   *[other] { $count } steps
}, starting at { $start }
ui-diagram-view = View step { $id }
ui-diagram-task = Task { $id }: { $executor }
ui-diagram-rule = Decision step { $id }
ui-diagram-end = End step { $id }
ui-diagram-missing = Missing step { $id }: nothing is called that
ui-diagram-missing_label = missing: { $id }
ui-diagram-start = The flow starts at { $id }
ui-diagram-kind-view = view
ui-diagram-kind-rule = decision
ui-diagram-kind-end = end
ui-diagram-kind-start = start
ui-home-text_message = Text message ({ $kind })
ui-home-retried = The mail is queued again and will be sent in a moment.
ui-home-not_retried = That mail is not waiting for a retry, or its content is no longer kept (past the life of the links it held): ask the person to start again.
ui-preview-draft = { $flow }, step { $step } of the draft, with sample values. Its buttons go nowhere.
ui-preview-version = { $flow }, step { $step } of version { $version }, with sample values. Its buttons go nowhere.

## A sentence with a value and a nested sentence (the test of `Said`).
ui-said-example = Step '{ $step }' is refused: { $why }
ui-said-example_reason = it has no id.
