# Messages en français. La clé `a.b` du code et des parcours est l'identifiant Fluent `a-b`.

language-name = Français

layout-skip = Aller au contenu principal
layout-nav = Compte
layout-account = Votre compte
layout-login = Se connecter
layout-logout = Se déconnecter
layout-register = Créer un compte

home-title = Bienvenue
home-body = Créez un compte ou connectez-vous à votre compte existant.
home-register = Créer un compte
home-login = Se connecter

register-title = Créez votre compte
register-intro = Cela ne prend qu'une minute. Nous vous enverrons un e-mail pour vérifier votre adresse.
register-passwordless-intro = Saisissez votre adresse e-mail. Nous vous enverrons un lien pour continuer, sans mot de passe.
register-done-title = Votre compte est prêt
register-done-body = Votre adresse e-mail est confirmée et votre compte est prêt à l'emploi.
register-done-passwordless = Votre compte est prêt. Vous pourrez définir un mot de passe plus tard via « Mot de passe oublié ».
profile-title = Parlez-nous de vous
profile-verified = Votre adresse e-mail { $email } est confirmée.

otp-title = Consultez vos e-mails
otp-sent_to = Nous avons envoyé un code à { $otp_digits } chiffres à { $email }. Il expire dans { $otp_minutes ->
        [one] { $otp_minutes } minute
       *[other] { $otp_minutes } minutes
    }.
link-title = Consultez vos e-mails
link-sent_to = Nous avons envoyé un lien à { $email }. Ouvrez-le sur n'importe quel appareil pour continuer.
link-confirm-title = Confirmez votre adresse e-mail
link-confirm-body = Cliquez sur le bouton pour confirmer votre adresse e-mail et continuer.
link-confirm-button = Confirmer et continuer

field-given_name = Prénom
field-family_name = Nom
field-email = Adresse e-mail
field-email-hint = Nous vous enverrons un message pour la confirmer.
field-password = Mot de passe
field-password-hint = Utilisez une longue phrase que vous n'utilisez nulle part ailleurs.
field-terms = J'accepte les conditions d'utilisation et la politique de confidentialité
field-otp = Code
field-otp-hint = Les 6 chiffres reçus par e-mail.
field-optional = facultatif
form-leave_empty = Laissez ce champ vide
field-choose = Choisir…

password-rule-min = Au moins { $min ->
        [one] { $min } caractère
       *[other] { $min } caractères
    }
password-rule-max = Au plus { $max ->
        [one] { $max } caractère
       *[other] { $max } caractères
    }
password-rule-common = Pas un mot de passe courant
password-rule-personal = Ni votre nom ni votre adresse e-mail
password-rule-breached = Absent des fuites de données connues

button-continue = Continuer
button-verify = Vérifier
button-resend = Envoyer un nouveau code
button-resend_link = Renvoyer le lien
button-create_account = Créer le compte
button-start_again = Recommencer
button-start_over = Tout recommencer

errors-summary = Il y a un problème
errors-title_prefix = Erreur
errors-prefix = Erreur :
error-required = Ce champ est obligatoire.
error-invalid_email = Saisissez une adresse e-mail au format nom@exemple.fr.
error-too_long = Utilisez au plus { $max ->
        [one] { $max } caractère
       *[other] { $max } caractères
    }.
error-too_short = Utilisez au moins { $min ->
        [one] { $min } caractère
       *[other] { $min } caractères
    }.
error-pattern_mismatch = Cette valeur n'est pas au format attendu.
error-invalid_number = Saisissez un nombre.
error-invalid_date = Saisissez une date au format 2001-12-31.
error-invalid_phone = Ce numéro de téléphone n'est pas utilisable. Vérifiez les chiffres, et ajoutez l'indicatif du pays (comme +33) pour un numéro étranger.
error-phone_needs_country = Ajoutez l'indicatif du pays devant le numéro, comme +33 ou +1.
error-control_character = Retirez les sauts de ligne et les caractères invisibles de ce champ.
error-invalid_option = Choisissez l'une des options.
error-invalid_code = Saisissez le code à { $length } chiffres reçu par e-mail.
error-must_accept = Vous devez accepter pour continuer.
error-password_too_short = Votre mot de passe doit contenir au moins { $min ->
        [one] { $min } caractère
       *[other] { $min } caractères
    }.
error-password_too_long = Votre mot de passe doit contenir au plus { $max ->
        [one] { $max } caractère
       *[other] { $max } caractères
    }.
error-password_common = Ce mot de passe est trop courant. Choisissez-en un plus difficile à deviner.
error-password_breached = Ce mot de passe figure dans une fuite de données : d'autres pourraient l'essayer. Choisissez-en un autre.
error-password_personal = Votre mot de passe ne doit pas être votre nom ni votre adresse e-mail.
error-code_invalid = Ce code est incorrect. Il vous reste { $remaining ->
        [one] { $remaining } essai
       *[other] { $remaining } essais
    }.
error-code_expired = Ce code a expiré. Demandez un nouveau code.
error-too_many_attempts = Trop de codes incorrects. Demandez un nouveau code pour réessayer.
error-too_many_sends = Vous avez demandé trop de messages. Recommencez dans quelques instants.
error-resend_wait = Veuillez patienter { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    } avant de demander un nouveau message.
error-could_not_register = Nous n'avons pas pu créer ce compte. Si vous en avez déjà un, connectez-vous ou réinitialisez votre mot de passe.
error-disposable_email = Utilisez une adresse e-mail permanente : les adresses de messageries jetables ne sont pas acceptées.
error-login_failed = L'adresse e-mail ou le mot de passe est incorrect.
error-login_throttled = Trop d'échecs de connexion pour cette adresse. Réessayez dans { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, ou réinitialisez votre mot de passe.

notice-code_resent = Nous vous avons envoyé un nouveau code.
notice-link_resent = Nous vous avons envoyé un nouveau lien.
notice-stale = Cette page n'était plus à jour, aucune modification n'a donc été faite. Voici où vous en êtes.
notice-too_fast = Vérifiez ce que vous avez saisi, puis appuyez de nouveau sur le bouton.
notice-email_verified = Votre adresse e-mail est confirmée.

problem-expired-title = Cette page a expiré
problem-expired-body = Pour votre sécurité, les parcours non terminés expirent après un moment d'inactivité. Recommencez ; nous avons conservé ce que nous avons pu.
problem-registration_closed-title = Les inscriptions sont fermées pour le moment
problem-registration_closed-body = Il n'est pas possible de créer un compte pour le moment. Veuillez réessayer plus tard.
problem-recovery_closed-title = La réinitialisation du mot de passe n'est pas disponible pour le moment
problem-recovery_closed-body = Les mots de passe ne peuvent pas être réinitialisés ici pour le moment. Veuillez réessayer plus tard, ou contactez les responsables de ce service.
problem-invitation_closed-title = Les invitations ne peuvent pas être acceptées pour le moment
problem-invitation_closed-body = Votre invitation est conservée. Veuillez réessayer son lien plus tard.
problem-not_found-title = Page introuvable
problem-not_found-body = Vérifiez l'adresse ou revenez au début.
problem-internal-title = Une erreur s'est produite
problem-internal-body = Nous n'avons pas pu terminer cette opération. Rien de ce que vous avez saisi n'a été perdu ; veuillez réessayer.
problem-unavailable-title = Indisponible pour un instant
problem-unavailable-body = Nous ne pouvons pas joindre nos données pour le moment. Rien de ce que vous avez saisi n’a été perdu ni modifié : réessayez dans quelques secondes.
problem-busy-title = Très occupé pour un instant
problem-busy-body = Nous répondons à plus de personnes que nous ne le pouvons en ce moment. Rien n’a été modifié : réessayez dans quelques secondes.
problem-bad_form-title = Nous n'avons pas pu lire ce formulaire
problem-bad_form-body = Le formulaire était trop volumineux ou mal formé. Revenez en arrière et réessayez.
problem-bad_link-title = Ce lien n'est pas valide
problem-bad_link-body = Le lien a peut-être été tronqué. Copiez le lien complet depuis l'e-mail.
problem-csrf-title = Votre session a changé
problem-csrf-body = Pour votre sécurité, le formulaire n'a pas pu être envoyé. Revenez à la page et réessayez.
problem-form_refused-title = Ce formulaire n'a pas pu être accepté
problem-form_refused-body = Revenez au formulaire et réessayez.
problem-link_unknown-title = Ce lien n'est pas valide
problem-link_unknown-body = Le lien a peut-être été tronqué ou remplacé par un plus récent. Utilisez le dernier e-mail que nous vous avons envoyé, ou recommencez.
problem-link_used-title = Ce lien a déjà été utilisé
problem-link_used-body = Chaque lien ne fonctionne qu'une fois. Si vous avez terminé, connectez-vous ; sinon, recommencez.
problem-link_expired-title = Ce lien a expiré
problem-link_expired-body = Les liens sont valables pendant une durée limitée. Recommencez pour en obtenir un nouveau.

link-home = Revenir au début
link-back = Retour
link-retry = Réessayer
link-continue = Continuer
link-login = Se connecter
link-start_again = Recommencer
link-account = Accéder à votre compte
link-admin_login = Se connecter à la console
link-admin_home = Aller à la console
problem-admin_only-title = Réservé aux administrateurs
problem-admin_only-body = Connectez-vous à la console en tant qu'administrateur pour faire cela.
problem-owner_only-title = Réservé aux propriétaires
problem-owner_only-body = Cette partie de la console est réservée aux propriétaires. Les opérateurs gèrent les invitations et les utilisateurs.

login-title = Se connecter
login-button = Se connecter
login-register = Pas encore de compte ? Créez-en un
login-recover = Mot de passe oublié ?

account-title = Votre compte
account-name = Nom
account-verified = confirmée
account-since = Membre depuis
account-password-title = Changer votre mot de passe
account-password-current = Mot de passe actuel
account-password-new = Nouveau mot de passe
account-password-button = Changer le mot de passe
account-password-changed = Votre mot de passe a été changé. Vous êtes déconnecté partout ailleurs.
error-current_password_wrong = Votre mot de passe actuel n'est pas le bon.

mail-greeting = Bonjour,
mail-otp-subject = { $code } est votre code de vérification { $product }
mail-otp-body = Saisissez ce code pour confirmer votre adresse e-mail. Il expire dans { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
mail-otp-footer = Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : rien ne se passera sans le code.
mail-link-subject = Confirmez votre adresse e-mail pour { $product }
mail-link-body = Ouvrez le lien ci-dessous pour confirmer votre adresse e-mail et continuer. Il ne fonctionne qu'une fois, pendant { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, sur n'importe quel appareil.
mail-link-button = Confirmer mon adresse e-mail
mail-link-footer = Si vous n'êtes pas à l'origine de cette demande, ignorez cet e-mail : rien ne se passera tant que vous n'ouvrirez pas le lien.
mail-exists-subject = Vous avez déjà un compte { $product }
mail-exists-body = Quelqu'un, peut-être vous, a essayé de créer un compte { $product } avec cette adresse e-mail. Vous en avez déjà un : aucun nouveau compte n'a donc été créé.
mail-exists-recover = Mot de passe oublié ? Réinitialisez-le ici : { $recover_url }
mail-exists-button = Se connecter
mail-exists-footer = Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer cet e-mail. Votre compte n'a pas été modifié.

problem-rate_limited-title = Trop de tentatives
problem-rate_limited-body = Vous avez envoyé trop de formulaires en peu de temps. Attendez { $seconds ->
        [one] { $seconds } seconde
       *[other] { $seconds } secondes
    }, puis réessayez.

recover-title = Réinitialiser votre mot de passe
recover-intro = Saisissez l'adresse e-mail ou le nom d'utilisateur de votre compte. Si ce compte existe, nous enverrons à son adresse e-mail un lien pour choisir un nouveau mot de passe.
recover-sent_to = Si { $login } a un compte, un lien pour réinitialiser son mot de passe est en route vers l'adresse e-mail du compte. Ouvrez-le sur n'importe quel appareil ; il ne fonctionne qu'une fois.
recover-new_password-title = Choisissez un nouveau mot de passe
recover-done-title = Votre mot de passe a été modifié
recover-done-body = Utilisez désormais votre nouveau mot de passe. Toutes les autres sessions de votre compte ont été déconnectées.
field-new_password = Nouveau mot de passe
button-send_reset_link = M'envoyer un lien de réinitialisation
button-save_password = Enregistrer le nouveau mot de passe
error-password_same = Choisissez un mot de passe différent de l'actuel.
error-could_not_update = Nous n'avons pas pu modifier le mot de passe. Recommencez à partir du lien d'un nouvel e-mail.
mail-reset-subject = Réinitialisez votre mot de passe { $product }
mail-reset-body = Quelqu'un, sans doute vous, a demandé à réinitialiser le mot de passe de votre compte { $product }. Ouvrez le lien ci-dessous pour en choisir un nouveau. Il ne fonctionne qu'une fois, pendant { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }, sur n'importe quel appareil.
mail-reset-button = Choisir un nouveau mot de passe
mail-reset-footer = Si vous n'avez rien demandé, ignorez cet e-mail : votre mot de passe ne change que si vous ouvrez le lien.
mail-changed-subject = Votre mot de passe { $product } a été modifié
mail-changed-body = Le mot de passe de votre compte { $product } vient d'être modifié, et toutes les sessions ont été déconnectées.
mail-changed-not_you = Si ce n'était pas vous, réinitialisez votre mot de passe maintenant : { $recover_url }
mail-changed-footer = Nous envoyons cet avis à chaque changement de mot de passe.
recover-intro_code = Saisissez l'adresse e-mail ou le nom d'utilisateur de votre compte. Si ce compte existe, nous enverrons un code à son adresse e-mail.
recover-code_sent_to = Si { $login } a un compte, un code à { $otp_digits } chiffres est en route vers l'adresse e-mail du compte. Il expire dans { $otp_minutes ->
        [one] { $otp_minutes } minute
       *[other] { $otp_minutes } minutes
    }.
field-login = Adresse e-mail ou nom d'utilisateur
field-login-hint = Celui que vous utilisez pour vous connecter.
button-send_code = M'envoyer un code
mail-recovery_code-subject = { $code } est votre code de réinitialisation { $product }
mail-recovery_code-body = Quelqu'un, sans doute vous, a demandé à réinitialiser le mot de passe de votre compte { $product }. Saisissez ce code pour en choisir un nouveau. Il expire dans { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
invite-title = Vous êtes invité
invite-intro = { $invited_by } vous invite à créer un compte avec l'adresse { $email }. Vérifiez votre nom et choisissez un mot de passe.
invite-intro_password = { $invited_by } vous invite à créer un compte avec l'adresse { $email }. Choisissez un mot de passe ; vos informations suivent.
invite-done-body = Votre compte est prêt et votre adresse e-mail est confirmée.
button-accept_invitation = Accepter et créer mon compte
field-phone = Téléphone mobile
field-country = Pays
field-country-other = Un autre pays
error-invitation_invalid = Cette invitation ne peut plus être utilisée. Demandez-en une nouvelle.
problem-invitation_unknown-title = Ce lien d'invitation n'est pas valide
problem-invitation_unknown-body = Le lien a peut-être été tronqué. Copiez le lien complet depuis l'e-mail, ou demandez une nouvelle invitation.
problem-invitation_accepted-title = Cette invitation a déjà été acceptée
problem-invitation_accepted-body = Le compte qu'elle a créé est prêt : connectez-vous avec.
problem-invitation_revoked-title = Cette invitation a été retirée
problem-invitation_revoked-body = Demandez une nouvelle invitation à la personne qui vous a invité.
problem-invitation_replaced-title = Cette invitation a été remplacée par une plus récente
problem-invitation_replaced-body = Utilisez le lien de l'e-mail d'invitation le plus récent.
problem-invitation_expired-title = Cette invitation a expiré
problem-invitation_expired-body = Les invitations fonctionnent pendant une durée limitée. Demandez-en une nouvelle à la personne qui vous a invité.
problem-invitation_account_exists-title = Vous avez déjà un compte
problem-invitation_account_exists-body = Un compte avec cette adresse e-mail a été créé après l'envoi de l'invitation. Connectez-vous avec, ou réinitialisez son mot de passe.
problem-invite_session-title = Cette page a expiré
problem-invite_session-body = Ouvrez à nouveau le lien de votre e-mail d'invitation pour continuer.
mail-invite-subject = { $inviter } vous invite sur { $product }
mail-invite-body = { $inviter } vous invite à créer un compte { $product }. Ouvrez le lien ci-dessous pour accepter ; il fonctionne pendant { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    }.
mail-invite-button = Accepter l'invitation
mail-invite-footer = Si vous ne vous y attendiez pas, ignorez cet e-mail : aucun compte n'est créé sans votre accord.
password-title = Choisissez un mot de passe
terms-title = Avant de continuer
terms-intro = Veuillez lire et accepter nos conditions d'utilisation et notre politique de confidentialité.

mail-approval_wait-subject = Votre compte { $product } attend une validation
mail-approval_wait-body = Merci de votre inscription à { $product }. Un administrateur vérifie chaque nouveau compte avant qu'il puisse servir ; nous vous écrirons dès que le vôtre aura été examiné.
mail-approval_wait-footer = Vous ne pouvez pas vous connecter d'ici là. Si vous ne vous êtes pas inscrit, ignorez cet e-mail.
mail-approval_yes-subject = Votre compte { $product } est validé
mail-approval_yes-body = Bonne nouvelle : un administrateur a validé votre compte { $product }. Vous pouvez vous connecter dès maintenant.
mail-approval_yes-footer = Vous recevez cet e-mail parce que vous vous êtes inscrit à { $product }.
mail-approval_no-subject = Votre inscription à { $product } n'a pas été validée
mail-approval_no-body = Un administrateur a examiné votre inscription à { $product } et ne l'a pas validée ; le compte a donc été supprimé.
mail-approval_no-reason = Motif indiqué : { $reason }
mail-approval_no-footer = Vous recevez cet e-mail parce que vous vous êtes inscrit à { $product }. Vos données ont été supprimées.
register-approval-title = Merci : votre demande attend une validation
register-approval-body = Un administrateur vérifie chaque nouveau compte avant qu'il puisse servir. Nous vous avons envoyé un e-mail, et nous vous écrirons dès que le vôtre aura été examiné. Vous ne pouvez pas vous connecter d'ici là.
error-extension_denied = { $message }
error-extension_refused = Impossible de continuer. Vérifiez ce que vous avez saisi, ou contactez-nous.
error-extension_unavailable = Nous ne pouvons pas vérifier cela pour le moment. Réessayez dans un instant : ce que vous avez saisi est conservé.
field-phone-hint = Avec l'indicatif du pays s'il ne s'agit pas d'un numéro local, comme +33 6 12 34 56 78.
field-otp-sms_hint = Les 6 chiffres du SMS.
otp-sms-title = Consultez votre téléphone
otp-sms-sent_to = Nous avons envoyé un code à { $otp_digits } chiffres par SMS au { $phone }. Il expire dans { $otp_minutes ->
        [one] { $otp_minutes } minute
       *[other] { $otp_minutes } minutes
    }.
recover-intro_sms = Saisissez l'adresse e-mail ou le nom d'utilisateur de votre compte. Si ce compte existe et a un numéro de mobile vérifié, nous enverrons un code par SMS à ce numéro.
recover-intro_choice = Saisissez l'adresse e-mail ou le nom d'utilisateur de votre compte. Vous choisirez ensuite de recevoir le code par e-mail ou par SMS.
recover-sms_sent_to = Si { $login } a un compte avec un numéro de mobile vérifié, un code à { $otp_digits } chiffres est en route vers ce numéro par SMS. Il expire dans { $otp_minutes ->
        [one] { $otp_minutes } minute
       *[other] { $otp_minutes } minutes
    }. Pas de SMS ? Essayez un autre moyen.
recover-choose-title = Où envoyer le code ?
recover-choose-body = Nous ne l'envoyons que là où le compte peut le recevoir : à son adresse e-mail, ou à son numéro de mobile s'il a été vérifié.
button-by_email = Par e-mail
button-by_sms = Par SMS
button-another_way = Essayer un autre moyen
error-sms_country = Nous ne pouvons pas envoyer de SMS vers les numéros de ce pays. Utilisez un numéro d'un autre pays, ou contactez-nous.
error-sms_limit = Nous ne pouvons pas envoyer d'autres SMS pour le moment. Réessayez dans une heure.
sms-otp = { $code } est votre code de vérification { $product }. Il expire dans { $minutes } min. Ne le partagez pas.
sms-recovery_code = { $code } est votre code de réinitialisation { $product }. Il expire dans { $minutes } min. Si vous ne l'avez pas demandé, ignorez ce message.
social-away-title = Redirection vers la connexion
social-away-body = Vous allez vous connecter avec le service choisi. Si rien ne se passe, suivez le lien ci-dessous.
problem-social_callback-title = Cette connexion n'est plus en cours
problem-social_callback-body = Nous n'avons pas pu rattacher cette réponse à une inscription dans ce navigateur : elle a peut-être déjà servi, ou été ouverte dans un autre navigateur. Recommencez, ou connectez-vous.
error-social_unavailable = Ce moyen d'inscription n'est pas disponible pour le moment. Réessayez dans un instant, ou utilisez le formulaire.
error-social_failed = La connexion avec ce service n'a pas abouti. Réessayez, ou utilisez le formulaire.
error-social_cancelled = Vous avez annulé la connexion avec ce service. Réessayez, ou utilisez le formulaire.
error-social_expired = Cette connexion n'est plus en cours. Réessayez.
error-social_no_email = Ce service ne nous a pas transmis d'adresse e-mail. Utilisez le formulaire pour vous inscrire.
error-social_invitation_mismatch = Ce service a donné une autre adresse que celle invitée. Connectez-vous-y avec l'adresse invitée, ou utilisez le formulaire.
button-sign_up_oidc = S'inscrire avec le compte de votre organisation
register-social-title = Complétez votre profil
register-social-intro = Vérifiez votre nom, et acceptez les conditions pour créer votre compte.
register-link-title = Cette adresse a déjà un compte
register-link-intro = Un compte existe avec { $email }. Saisissez son mot de passe, ou demandez un code par e-mail, pour pouvoir aussi vous connecter avec ce service.
button-link_account = Associer et me connecter
button-use_form = Utiliser le formulaire
register-linked-title = Vos comptes sont associés
register-linked-body = Vous êtes connecté, et pourrez désormais vous connecter avec ce service.
error-link_password_wrong = Ce n'est pas le mot de passe du compte. Il vous reste { $remaining ->
        [one] { $remaining } essai
       *[other] { $remaining } essais
    }.
button-link_by_code = M'envoyer plutôt un code par e-mail
button-ask_invitation_renewal = Demander une nouvelle invitation
invite-renewal-title = Demande envoyée
invite-renewal-body = Si cette invitation peut être renouvelée, la personne qui vous a invité en a été informée. Une nouvelle invitation arriverait par e-mail.
