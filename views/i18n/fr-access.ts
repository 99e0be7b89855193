// French UI strings of one area (access); merged into the main dictionary.
export const accessFr = {
  'access.signin': 'Connexion',
  'access.signinButton': 'Se connecter',
  'access.signout': 'Se déconnecter',
  'access.email': 'Adresse e-mail',
  'access.name': 'Nom',
  'access.password': 'Mot de passe',
  'access.newPassword': 'Nouveau mot de passe',
  'access.currentPassword': 'Mot de passe actuel',
  'access.confirmPassword': 'Confirmer le mot de passe',
  'access.passwordHelp': 'Au moins 10 caractères. Une phrase de passe est idéale.',
  'access.password.too-short': 'Au moins 10 caractères.',
  'access.password.too-simple': 'Trop simple : un seul caractère répété.',
  'access.passwordMismatch': 'Les deux mots de passe diffèrent.',
  'access.badCredentials': 'Adresse ou mot de passe incorrect.',
  'access.throttled': 'Trop de tentatives. Réessayez dans {s} s.',
  'access.noUsers':
    'Aucun compte n’existe encore. Ouvrez le lien de configuration affiché au démarrage de Vigie, ou créez un administrateur en ligne de commande :',
  'access.twoFactor': 'Vérification en deux étapes',
  'access.twoFactorHelp':
    'Saisissez le code à 6 chiffres de votre application d’authentification, ou un code de secours.',
  'access.code': 'Code',
  'access.verify': 'Vérifier',
  'access.badCode': 'Code incorrect.',
  'access.setupTitle': 'Créer le premier administrateur',
  'access.setupIntro':
    'Ce lien ne sert qu’une fois. Le compte créé administre Vigie : équipe, sources, canaux et conservation.',
  'access.setupInvalid':
    'Ce lien de configuration a déjà servi ou a expiré. Redémarrez Vigie pour en obtenir un nouveau tant qu’aucun compte n’existe, ou utilisez npm run user.',
  'access.setupButton': 'Créer le compte',
  'access.invalidEmail': 'Adresse e-mail invalide.',
  'access.emailTaken': 'Un compte utilise déjà cette adresse.',
  'access.forbiddenTitle': 'Accès refusé',
  'access.forbiddenText': 'Votre rôle ne permet pas cette action. Demandez à un administrateur.',
}
