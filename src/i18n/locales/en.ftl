# English messages: the fallback, so it must hold every message.
# A key `a.b` of the code and of flow definitions is the Fluent id `a-b`.

language-name = English

layout-skip = Skip to main content
layout-nav = Account
layout-account = Your account
layout-login = Sign in
layout-logout = Sign out
layout-register = Create an account

home-title = Welcome
home-body = Create an account, or sign in to the one you have.
home-register = Create an account
home-login = Sign in

register-title = Create your account
register-intro = It takes a minute. We will send you an e-mail to check your address.
register-passwordless-intro = Enter your e-mail address. We will send you a link to continue, no password needed.
register-done-title = Your account is ready
register-done-body = Your e-mail address is confirmed and your account is ready to use.
register-done-passwordless = Your account is ready. You can set a password later through "Forgot your password".
profile-title = Tell us about yourself
profile-verified = Your e-mail address { $email } is confirmed.

otp-title = Check your e-mail
otp-sent_to = We sent a { $otp_digits }-digit code to { $email }. It expires in { $otp_minutes ->
        [one] { $otp_minutes } minute
       *[other] { $otp_minutes } minutes
    }.
link-title = Check your e-mail
link-sent_to = We sent a link to { $email }. Open it on any device to continue.
link-confirm-title = Confirm your e-mail address
link-confirm-body = Press the button to confirm your e-mail address and continue.
link-confirm-button = Confirm and continue

field-given_name = First name
field-family_name = Last name
field-email = E-mail address
field-email-hint = We will send you a message to confirm it.
field-password = Password
field-password-hint = Use a long phrase you do not use anywhere else.
field-terms = I accept the terms of service and the privacy policy
field-otp = Code
field-otp-hint = The 6 digits from the e-mail.
field-optional = optional
form-leave_empty = Leave this field empty
field-choose = Choose…

password-rule-min = At least { $min ->
        [one] { $min } character
       *[other] { $min } characters
    }
password-rule-max = At most { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }
password-rule-common = Not a commonly used password
password-rule-personal = Not your name or e-mail address
password-rule-breached = Not found in known data breaches

button-continue = Continue
button-verify = Verify
button-resend = Send a new code
button-resend_link = Send the link again
button-create_account = Create account
button-start_again = Start again
button-start_over = Start over

errors-summary = There is a problem
errors-title_prefix = Error
errors-prefix = Error:
error-required = This field is required.
error-invalid_email = Enter an e-mail address like name@example.com.
error-too_long = Use at most { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }.
error-too_short = Use at least { $min ->
        [one] { $min } character
       *[other] { $min } characters
    }.
error-pattern_mismatch = This value is not in the expected format.
error-invalid_number = Enter a number.
error-invalid_date = Enter a date like 2001-12-31.
error-invalid_phone = This is not a phone number we can use. Check the digits, and put the country code in front (like +44) for a number from abroad.
error-phone_needs_country = Put the country code in front of the number, like +44 or +1.
error-control_character = Remove the line breaks and invisible characters from this field.
error-invalid_option = Choose one of the options.
error-invalid_code = Enter the { $length }-digit code from the e-mail.
error-must_accept = You need to accept this to continue.
error-password_too_short = Your password must have at least { $min ->
        [one] { $min } character
       *[other] { $min } characters
    }.
error-password_too_long = Your password must have at most { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }.
error-password_common = This password is too common. Choose one that is harder to guess.
error-password_breached = This password has appeared in a data breach, so others may try it. Choose another.
error-password_personal = Your password must not be your name or e-mail address.
error-code_invalid = That code is not right. You have { $remaining ->
        [one] { $remaining } try
       *[other] { $remaining } tries
    } left.
error-code_expired = That code has expired. Send a new code.
error-too_many_attempts = Too many wrong codes. Send a new code to try again.
error-too_many_sends = You have asked for too many messages. Start over in a while.
error-resend_wait = Please wait { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    } before asking for another message.
error-could_not_register = We could not create this account. If you already have one, sign in or reset your password.
error-disposable_email = Use a permanent e-mail address: addresses from disposable mail services are not accepted.
error-login_failed = The e-mail address or password is not right.
error-login_throttled = Too many failed sign-ins for this address. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, or reset your password.

notice-code_resent = We sent you a new code.
notice-link_resent = We sent you a new link.
notice-stale = That page was out of date, so nothing was changed. Here is where you are.
notice-too_fast = Please check what you entered, then press the button again.
notice-email_verified = Your e-mail address is confirmed.

problem-expired-title = This page has expired
problem-expired-body = For your security, unfinished journeys expire after a while without activity. Start again; we kept what we could.
problem-registration_closed-title = Sign-up is closed right now
problem-registration_closed-body = New accounts cannot be created at the moment. Please try again later.
problem-recovery_closed-title = Password reset is not available right now
problem-recovery_closed-body = Passwords cannot be reset here at the moment. Please try again later, or contact the people who run this service.
problem-invitation_closed-title = Invitations cannot be accepted right now
problem-invitation_closed-body = Your invitation is kept. Please try its link again later.
problem-not_found-title = Page not found
problem-not_found-body = Check the address, or go back to the start.
problem-internal-title = Something went wrong
problem-internal-body = We could not finish that. Nothing you entered was lost; please try again.
problem-unavailable-title = Not available for a moment
problem-unavailable-body = We cannot reach our records right now. Nothing you entered was lost or changed: try again in a few seconds.
problem-busy-title = Very busy for a moment
problem-busy-body = We are answering more people than we can right now. Nothing was changed: try again in a few seconds.
problem-bad_form-title = We could not read that form
problem-bad_form-body = The form was too large or malformed. Go back and try again.
problem-bad_link-title = This link is not valid
problem-bad_link-body = The link may have been cut short. Copy the whole link from the e-mail.
problem-csrf-title = Your session has changed
problem-csrf-body = For your security the form could not be sent. Go back to the page and try again.
problem-form_refused-title = This form could not be accepted
problem-form_refused-body = Please go back to the form and try again.
problem-link_unknown-title = This link is not valid
problem-link_unknown-body = The link may have been cut short, or replaced by a newer one. Use the latest e-mail we sent, or start again.
problem-link_used-title = This link has already been used
problem-link_used-body = Each link works once. If you finished, sign in; otherwise start again.
problem-link_expired-title = This link has expired
problem-link_expired-body = Links work for a limited time. Start again to get a new one.

link-home = Go to the start
link-back = Go back
link-retry = Try again
link-continue = Continue
link-login = Sign in
link-start_again = Start again
link-account = Go to your account
link-admin_login = Sign in to the console
link-admin_home = Go to the console
problem-admin_only-title = Administrators only
problem-admin_only-body = Sign in to the console as an administrator to do this.
problem-owner_only-title = Owners only
problem-owner_only-body = This part of the console is for owners. Operators run invitations and users.

login-title = Sign in
login-button = Sign in
login-register = No account yet? Create one
login-recover = Forgot your password?

account-title = Your account
account-name = Name
account-verified = confirmed
account-since = Member since
account-password-title = Change your password
account-password-current = Current password
account-password-new = New password
account-password-button = Change password
account-password-changed = Your password has been changed. You are signed out everywhere else.
error-current_password_wrong = Your current password is not right.

mail-greeting = Hello,
mail-otp-subject = { $code } is your { $product } verification code
mail-otp-body = Enter this code to confirm your e-mail address. It expires in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
mail-otp-footer = If you did not ask for this, ignore this e-mail: nothing happens without the code.
mail-link-subject = Confirm your e-mail address for { $product }
mail-link-body = Open the link below to confirm your e-mail address and continue. It works once, for { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, on any device.
mail-link-button = Confirm my e-mail address
mail-link-footer = If you did not ask for this, ignore this e-mail: nothing happens unless you open the link.
mail-exists-subject = You already have a { $product } account
mail-exists-body = Someone, perhaps you, tried to create a { $product } account with this e-mail address. You already have one, so no new account was created.
mail-exists-recover = Forgot your password? Reset it here: { $recover_url }
mail-exists-button = Sign in
mail-exists-footer = If this was not you, you can ignore this e-mail. Your account has not changed.

problem-rate_limited-title = Too many attempts
problem-rate_limited-body = You have sent too many forms in a short time. Wait { $seconds ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    }, then try again.

recover-title = Reset your password
recover-intro = Enter the e-mail address or username of your account. If there is such an account, we will send a link to its e-mail address to choose a new password.
recover-sent_to = If { $login } has an account, a link to reset its password is on its way to the account's e-mail address. Open it on any device; it works once.
recover-new_password-title = Choose a new password
recover-done-title = Your password has been changed
recover-done-body = Use your new password from now on. Every other session of your account has been signed out.
field-new_password = New password
button-send_reset_link = Send me a reset link
button-save_password = Save the new password
error-password_same = Choose a password different from your current one.
error-could_not_update = We could not change the password. Start again from the link in a new e-mail.
mail-reset-subject = Reset your { $product } password
mail-reset-body = Someone, hopefully you, asked to reset the password of your { $product } account. Open the link below to choose a new one. It works once, for { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, on any device.
mail-reset-button = Choose a new password
mail-reset-footer = If you did not ask for this, ignore this e-mail: your password does not change unless you open the link.
mail-changed-subject = Your { $product } password was changed
mail-changed-body = The password of your { $product } account has just been changed, and every session was signed out.
mail-changed-not_you = If this was not you, reset your password now: { $recover_url }
mail-changed-footer = We send this notice every time the password changes.
recover-intro_code = Enter the e-mail address or username of your account. If there is such an account, we will send a code to its e-mail address.
recover-code_sent_to = If { $login } has an account, a { $otp_digits }-digit code is on its way to the account's e-mail address. It expires in { $otp_minutes ->
        [one] { $otp_minutes } minute
       *[other] { $otp_minutes } minutes
    }.
field-login = E-mail address or username
field-login-hint = The one you use to sign in.
button-send_code = Send me a code
mail-recovery_code-subject = { $code } is your { $product } password reset code
mail-recovery_code-body = Someone, hopefully you, asked to reset the password of your { $product } account. Enter this code to choose a new one. It expires in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
invite-title = You are invited
invite-intro = { $invited_by } invited you to create an account with the address { $email }. Check your name and choose a password.
invite-intro_password = { $invited_by } invited you to create an account with the address { $email }. Choose a password; your details come next.
invite-done-body = Your account is ready and your e-mail address is confirmed.
button-accept_invitation = Accept and create my account
field-phone = Mobile phone
field-country = Country
field-country-other = Another country
error-invitation_invalid = This invitation cannot be used any more. Ask for a new one.
problem-invitation_unknown-title = This invitation link is not valid
problem-invitation_unknown-body = The link may have been cut short. Copy the whole link from the e-mail, or ask for a new invitation.
problem-invitation_accepted-title = This invitation has already been accepted
problem-invitation_accepted-body = The account it created is ready: sign in with it.
problem-invitation_revoked-title = This invitation was withdrawn
problem-invitation_revoked-body = Ask the person who invited you for a new invitation.
problem-invitation_replaced-title = This invitation was replaced by a newer one
problem-invitation_replaced-body = Use the link in the most recent invitation e-mail.
problem-invitation_expired-title = This invitation has expired
problem-invitation_expired-body = Invitations work for a limited time. Ask the person who invited you for a new one.
problem-invitation_account_exists-title = You already have an account
problem-invitation_account_exists-body = An account with this e-mail address was created after the invitation was sent. Sign in with it, or reset its password.
problem-invite_session-title = This page has expired
problem-invite_session-body = Open the link in your invitation e-mail again to continue.
mail-invite-subject = { $inviter } invited you to { $product }
mail-invite-body = { $inviter } invited you to create a { $product } account. Open the link below to accept; it works for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }.
mail-invite-button = Accept the invitation
mail-invite-footer = If you did not expect this, ignore this e-mail: no account is created unless you accept.
password-title = Choose a password
terms-title = Before you go on
terms-intro = Please read and accept our terms of service and privacy policy.

mail-approval_wait-subject = Your { $product } account is waiting for approval
mail-approval_wait-body = Thank you for registering with { $product }. An administrator checks every new account before it can be used; we will write again as soon as yours has been looked at.
mail-approval_wait-footer = You cannot sign in until then. If you did not register, ignore this e-mail.
mail-approval_yes-subject = Your { $product } account is approved
mail-approval_yes-body = Good news: an administrator approved your { $product } account. You can sign in now.
mail-approval_yes-footer = You receive this e-mail because you registered with { $product }.
mail-approval_no-subject = Your { $product } registration was not approved
mail-approval_no-body = An administrator looked at your registration with { $product } and did not approve it, so the account was removed.
mail-approval_no-reason = The reason given: { $reason }
mail-approval_no-footer = You receive this e-mail because you registered with { $product }. Your details have been deleted.
register-approval-title = Thank you: your request is waiting for approval
register-approval-body = An administrator checks every new account before it can be used. We sent you an e-mail, and we will write again as soon as yours has been looked at. You cannot sign in until then.
error-extension_denied = { $message }
error-extension_refused = This cannot go ahead. Check what you entered, or contact us.
error-extension_unavailable = We could not check this right now. Try again in a moment: what you entered is kept.
field-phone-hint = With the country code if it is not a local number, like +44 7400 123456.
field-otp-sms_hint = The 6 digits from the text message.
otp-sms-title = Check your phone
otp-sms-sent_to = We sent a { $otp_digits }-digit code by text message to { $phone }. It expires in { $otp_minutes ->
        [one] { $otp_minutes } minute
       *[other] { $otp_minutes } minutes
    }.
recover-intro_sms = Enter the e-mail address or username of your account. If there is such an account with a verified mobile number, we will send a code to that number by text message.
recover-intro_choice = Enter the e-mail address or username of your account. Next, you choose whether the code goes by e-mail or by text message.
recover-sms_sent_to = If { $login } has an account with a verified mobile number, a { $otp_digits }-digit code is on its way to that number by text message. It expires in { $otp_minutes ->
        [one] { $otp_minutes } minute
       *[other] { $otp_minutes } minutes
    }. No text? Try another way.
recover-choose-title = Where should the code go?
recover-choose-body = We send it only where the account can receive it: to its e-mail address, or to its mobile number if one was verified.
button-by_email = By e-mail
button-by_sms = By text message
button-another_way = Try another way
error-sms_country = We cannot send text messages to numbers in this country. Use a number from another country, or contact us.
error-sms_limit = We cannot send more text messages right now. Try again in an hour.
sms-otp = { $code } is your { $product } verification code. It expires in { $minutes } min. Do not share it.
sms-recovery_code = { $code } is your { $product } password reset code. It expires in { $minutes } min. If you did not ask for it, ignore this message.
social-away-title = Taking you to sign in
social-away-body = You are on your way to sign in with the service you chose. If nothing happens, follow the link below.
problem-social_callback-title = This sign-in is no longer under way
problem-social_callback-body = We could not match this answer to a sign-up in this browser: it may have been used already, or opened in another browser. Start again, or sign in.
error-social_unavailable = Signing up that way is not available right now. Try again in a moment, or use the form.
error-social_failed = Signing in with that service did not work. Try again, or use the form.
error-social_cancelled = You cancelled signing in with that service. Try again, or use the form.
error-social_expired = That sign-in is no longer under way. Try again.
error-social_no_email = That service did not share an e-mail address with us. Use the form to sign up.
error-social_invitation_mismatch = That service gave another address than the one invited. Sign in there with the invited address, or use the form.
button-sign_up_oidc = Sign up with your organisation's account
register-social-title = Complete your profile
register-social-intro = Check your name, and accept the terms to create your account.
register-link-title = This address already has an account
register-link-intro = An account with { $email } exists. Type its password, or ask for a code by e-mail, to sign in with that service from now on too.
button-link_account = Link and sign in
button-use_form = Use the form instead
register-linked-title = Your accounts are linked
register-linked-body = You are signed in, and can sign in with that service from now on.
error-link_password_wrong = That is not the account's password. You have { $remaining ->
        [one] { $remaining } more try
       *[other] { $remaining } more tries
    }.
button-link_by_code = E-mail me a code instead
button-ask_invitation_renewal = Ask for a new invitation
invite-renewal-title = Request sent
invite-renewal-body = If this invitation can be renewed, the person who invited you has been asked. A new invitation would come by e-mail.
