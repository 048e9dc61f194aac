# The console's people pages: Users, one account, Invitations, Approvals, and the shared
# confirmation page. Appended to the English catalogue at build.

## Shared
ui-people-yes = Yes
ui-people-no = No
ui-people-waiting = Waiting for approval
ui-people-pages = Pages
ui-people-confirm-cancel = Cancel

## Users
ui-people-users-title = Users
ui-people-users-search = Address, username or name contains
ui-people-users-state = State
ui-people-users-all = All
ui-people-users-status-active = Active
ui-people-users-status-locked = Locked
ui-people-users-status-disabled = Disabled
ui-people-users-status-pending = Waiting for approval
ui-people-users-search_button = Search
ui-people-users-hint = An address refused sign-ins for a while after repeated failures says until when in its row, whatever the account's state; Unlock lifts it.
ui-people-users-none = No account matches.
ui-people-users-caption = Accounts, newest first
ui-people-users-chosen = Chosen
ui-people-users-email = E-mail address
ui-people-users-name = Name
ui-people-users-verified = Address confirmed
ui-people-users-created = Created
ui-people-users-choose = Choose { $email }
ui-people-users-refused_until = Sign-in refused until { $until }
ui-people-users-until_unlocked = Until unlocked
ui-people-users-with_chosen = With the chosen accounts
ui-people-users-unlock = Unlock
ui-people-users-disable = Disable
ui-people-users-enable = Enable
ui-people-users-newer = Newer
ui-people-users-older = Older
ui-people-users-page = Page { $page }

## The Users list's bulk form
ui-people-bulk-unknown = Choose Unlock, Disable or Enable.
ui-people-bulk-too_many = Choose at most { $max } accounts at once.
ui-people-bulk-unlock-none = Choose at least one account to be unlocked: tick the box of each.
ui-people-bulk-disable-none = Choose at least one account to be disabled: tick the box of each.
ui-people-bulk-enable-none = Choose at least one account to be enabled: tick the box of each.
ui-people-bulk-unlock-done = { $count ->
    [0] No account unlocked.
    [one] 1 account unlocked.
   *[other] { $count } accounts unlocked.
}
ui-people-bulk-disable-done = { $count ->
    [0] No account disabled.
    [one] 1 account disabled.
   *[other] { $count } accounts disabled.
}
ui-people-bulk-enable-done = { $count ->
    [0] No account enabled.
    [one] 1 account enabled.
   *[other] { $count } accounts enabled.
}
ui-people-bulk-unlock-unchanged = Nothing to do for { $who } (neither locked nor refusing sign-ins).
ui-people-bulk-disable-unchanged = Nothing to do for { $who } (already disabled).
ui-people-bulk-enable-unchanged = Nothing to do for { $who } (already active).
ui-people-bulk-not_found = No such account: { $list }.
ui-people-bulk-more = { $list } and { $more } more

## One account
ui-people-user-name = Name
ui-people-user-username = Username
ui-people-user-state = State
ui-people-user-queue = Approve or reject it in the approval queue
ui-people-user-verified = Address confirmed
ui-people-user-created = Created
ui-people-user-last_sign_in = Last sign-in
ui-people-user-no_sign_in = Not in the last 50 events
ui-people-user-disable = Disable
ui-people-user-enable = Enable
ui-people-user-unlock = Unlock
ui-people-user-sign_out = Sign out everywhere
ui-people-user-delete = Delete
ui-people-user-recovery-title = Password recovery
ui-people-user-recovery-words = Sends { $email } the e-mail of the published password-recovery flow, as if they had asked for it: its link lets them choose a new password, on any device. Their current password keeps working until then.
ui-people-user-recovery-button = Send a password-recovery e-mail
ui-people-user-recovery-inactive = Only an active account can recover its password: enable or unlock this one first.
ui-people-user-attributes = Attributes
ui-people-user-none = None.
ui-people-user-attribute = Attribute
ui-people-user-value = Value
ui-people-user-events = Recent events
ui-people-user-audit_link = Every entry about this person in the audit log
ui-people-user-audit_rest = , as actor or as subject, and their journeys before the account existed.
ui-people-user-none_recorded = None recorded.
ui-people-user-when = When
ui-people-user-who = Who
ui-people-user-what = What
ui-people-user-recovery-sent = A password-recovery e-mail is on its way to { $email }: its link lets them choose a new password.
ui-people-user-recovery-not_active = No e-mail was sent: { $email } is { $status }, and only an active account can recover its password. Enable or unlock it first.
ui-people-user-recovery-no_flow = No e-mail was sent: there is no published password-recovery flow.
ui-people-user-recovery-disabled = No e-mail was sent: the password-recovery flow is turned off.
ui-people-user-recovery-no_address_step = No e-mail was sent: the published password-recovery flow does not start by asking for an address alone, so it cannot be started on someone's behalf.
ui-people-user-recovery-by_code = No e-mail was sent: the published password-recovery flow checks a code typed on the page where recovery was asked, and a code mailed to someone who never opened that page is of no use. Publish a recovery flow that e-mails a reset link (the “Reset link by e-mail” template) to send recovery e-mails from here.

## What an operator does to an account, each confirmed on a page of its own
ui-people-action-disable-title = Disable { $email }
ui-people-action-disable-question = Disable { $email }?
ui-people-action-disable-words = The account can no longer sign in or recover its password, and its sessions end. Enable it again at any time.
ui-people-action-disable-button = Disable the account
ui-people-action-disable-done = { $email } is disabled.
ui-people-action-enable-title = Enable { $email }
ui-people-action-enable-question = Enable { $email }?
ui-people-action-enable-words = The account can sign in again.
ui-people-action-enable-button = Enable the account
ui-people-action-enable-done = { $email } is enabled.
ui-people-action-unlock-title = Unlock { $email }
ui-people-action-unlock-question = Unlock { $email }?
ui-people-action-unlock-words = The sign-in throttle of this address is cleared (and a locked account is active again), so its owner can sign in at once.
ui-people-action-unlock-button = Unlock the account
ui-people-action-unlock-done = { $email } is unlocked.
ui-people-action-sign_out-title = Sign out everywhere { $email }
ui-people-action-sign_out-question = Sign out everywhere { $email }?
ui-people-action-sign_out-words = Every session of this account ends, on every device; its owner signs in again.
ui-people-action-sign_out-button = Sign out everywhere
ui-people-action-sign_out-done = Every session of { $email } has ended.
ui-people-action-delete-title = Delete { $email }
ui-people-action-delete-question = Delete { $email }?
ui-people-action-delete-words = The account and its attributes are deleted for good; the address can register again. The audit log keeps what happened, without the attributes.
ui-people-action-delete-button = Delete the account
ui-people-action-delete-done = The account { $email } is deleted.

## Approvals
ui-people-approvals-title = Approvals
ui-people-approvals-none = No account waits for approval.
ui-people-approvals-intro = { $count ->
    [one] 1 account waits
   *[other] { $count } accounts wait
} for approval, oldest first. Each person is told by e-mail, in the language they registered in; a rejected account is deleted, and the address may register again.
ui-people-approvals-caption = Accounts waiting for approval, oldest first
ui-people-approvals-email = E-mail address
ui-people-approvals-name = Name
ui-people-approvals-registered = Registered
ui-people-approvals-language = Language
ui-people-approvals-decision = Decision
ui-people-approvals-not_known = Not known
ui-people-approvals-approve = Approve
ui-people-approvals-reject = Reject
ui-people-approvals-reason = Reason for a rejection
ui-people-approvals-reason_of = of { $email }
ui-people-approvals-reason_hint = The person reads it in the e-mail that tells them; at most { $max } characters.
ui-people-approvals-older = Older
ui-people-approvals-newer = Newer
ui-people-approvals-page = Page { $page } of { $pages }
ui-people-approvals-approved = Approved { $email }.
ui-people-approvals-rejected = Rejected { $email }.
ui-people-approvals-not_waiting = Someone decided on this account already.

## Invitations
ui-people-invitations-title = Invitations
ui-people-invitations-optional = (optional)
ui-people-invitations-invite-title = Invite someone
ui-people-invitations-invite-words = They get an e-mail with a link to create their account; it works for 7 days.
ui-people-invitations-invite-change_text = Change the invitation e-mail's text
ui-people-invitations-email = E-mail address
ui-people-invitations-given_name = First name
ui-people-invitations-family_name = Last name
ui-people-invitations-language = Their language
ui-people-invitations-language_hint = The invitation e-mail, any new one sent later and the pages its link opens are in this language.
ui-people-invitations-invited_by = Invited by
ui-people-invitations-invited_by_hint = The name the e-mail shows; “An administrator” when empty.
ui-people-invitations-send = Send the invitation
ui-people-invitations-bulk-title = Invite several people
ui-people-invitations-bulk-caption = Results, one per address
ui-people-invitations-bulk-address = Address
ui-people-invitations-bulk-result = Result
ui-people-invitations-bulk-not_invited = Not invited:
ui-people-invitations-bulk-addresses = Addresses, one a line
ui-people-invitations-bulk-button = Invite them
ui-people-invitations-upload-title = Invite from a CSV file
ui-people-invitations-upload-hint_columns = A header row, then one person a row:
ui-people-invitations-upload-hint_only = Only
ui-people-invitations-upload-hint_rest = is needed; a blank language is the default one. At most { $max } rows. Every row is checked first: if any is refused, nobody is invited.
ui-people-invitations-upload-caption = Refused rows: nothing was sent. Correct them and upload the file again.
ui-people-invitations-upload-row = Row
ui-people-invitations-upload-address = Address
ui-people-invitations-upload-why = Why
ui-people-invitations-upload-file = CSV file
ui-people-invitations-upload-button = Check and invite them
ui-people-invitations-list-title = Sent invitations
ui-people-invitations-list-status = Status
ui-people-invitations-list-all = All
ui-people-invitations-list-address_contains = Address contains
ui-people-invitations-list-filter = Filter
ui-people-invitations-list-none = No invitation matches.
ui-people-invitations-list-caption = Invitations, newest first
ui-people-invitations-list-address = Address
ui-people-invitations-list-language = Language
ui-people-invitations-list-invited_by = Invited by
ui-people-invitations-list-sent = Sent
ui-people-invitations-list-expires = Expires
ui-people-invitations-list-actions = Actions
ui-people-invitations-list-renewal = Renewal asked
ui-people-invitations-list-resend = Resend
ui-people-invitations-list-resend_to = to { $email }
ui-people-invitations-list-revoke = Revoke
ui-people-invitations-list-revoke_to = the invitation to { $email }
ui-people-invitations-status-pending = pending
ui-people-invitations-status-opened = opened
ui-people-invitations-status-accepted = accepted
ui-people-invitations-status-expired = expired
ui-people-invitations-status-renewal = renewal asked
ui-people-invitations-status-revoked = revoked
ui-people-invitations-status-replaced = replaced
ui-people-invitations-invalid_email = Enter an e-mail address, like name@example.com.
ui-people-invitations-already_registered = This address already has an account.
ui-people-invitations-mail_quota = This address has been sent { $count } mails in the last hour, the most allowed. Try again later.
ui-people-invitations-failed = The invitation could not be made; try again.
ui-people-invitations-sent = Invitation sent to { $email }.
ui-people-invitations-bulk-empty = Paste at least one address, one a line.
ui-people-invitations-bulk-too_many = At most { $max } addresses at a time.
ui-people-invitations-bulk-invited = Invited.
ui-people-invitations-nothing_to_resend = The invitation to { $email } is { $status }: there is nothing to resend.
ui-people-invitations-resent = A new invitation was sent to { $email }; the old link no longer works.
ui-people-invitations-not_pending = The invitation to { $email } is no longer pending.
ui-people-invitations-revoked = The invitation to { $email } is revoked: its link no longer works.
ui-people-invitations-upload-too_large = The file is larger than { $kib } KiB.
ui-people-invitations-upload-unreadable = The file could not be read: send CSV as UTF-8 text.
ui-people-invitations-upload-no_file = Choose a CSV file.
ui-people-invitations-upload-nothing_sent = Nobody was invited: { $count } row(s) are refused. Correct them and upload the file again.
ui-people-invitations-upload-sent = { $count ->
    [one] 1 invitation sent.
   *[other] { $count } invitations sent.
}
ui-people-invitations-upload-missed_one = { $email } (row { $row }: { $reason })
ui-people-invitations-upload-missed = { $count } invitation(s) sent; these could not be: { $missed }

## A CSV file of invitations, refused whole
ui-people-invitations-csv-after_quote = Line { $line }: after a field's closing quote, only a comma or the line's end may come.
ui-people-invitations-csv-open_quote = Line { $line }: a quoted field is never closed (a " is missing).
ui-people-invitations-csv-empty = The file is empty: it needs a header row, then one person a row.
ui-people-invitations-csv-unknown_column = The header names a column “{ $column }” this upload does not take: the columns are { $columns }.
ui-people-invitations-csv-twice = The header names the column “{ $column }” twice.
ui-people-invitations-csv-no_email = The header has no “email” column: the first row names the columns ({ $columns }).
ui-people-invitations-csv-nobody = The file has a header but nobody to invite.
ui-people-invitations-csv-too_many = The file has { $count } people; at most { $max } can be invited at a time. Split it.
ui-people-invitations-csv-row_fields = This row has { $count } field(s); the header names { $columns }.

## Why a row of a CSV file is refused, and why a rejection is
ui-people-invitations-row-invalid_email = Not an e-mail address.
ui-people-invitations-row-duplicate = The same address is on row { $row }.
ui-people-invitations-row-already_registered = This address already has an account.
ui-people-invitations-row-unknown_language = No language “{ $tag }”: use one of { $known }, or leave it blank.
ui-people-invitations-row-not_prefillable = “{ $name }” cannot be filled in for the invited person.
ui-people-invitations-row-bad_value = The { $column } is longer than { $max } characters or holds control characters.
ui-people-invitations-row-mail_quota = This address has been sent { $count } mails in the last hour, the most allowed.
ui-people-invitations-row-failed = The invitation could not be made.
ui-people-approvals-reason_missing = Say why, so that the person knows.
ui-people-approvals-reason_too_long = Keep the reason under 1,000 characters.
