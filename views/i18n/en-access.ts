// English UI strings of one area (access).
import type { accessFr } from './fr-access'

export const accessEn: Record<keyof typeof accessFr, string> = {
  'access.signin': 'Sign in',
  'access.signinButton': 'Sign in',
  'access.signout': 'Sign out',
  'access.email': 'E-mail address',
  'access.name': 'Name',
  'access.password': 'Password',
  'access.newPassword': 'New password',
  'access.currentPassword': 'Current password',
  'access.confirmPassword': 'Confirm password',
  'access.passwordHelp': 'At least 10 characters. A passphrase is ideal.',
  'access.password.too-short': 'At least 10 characters.',
  'access.password.too-simple': 'Too simple: one repeated character.',
  'access.passwordMismatch': 'The two passwords differ.',
  'access.badCredentials': 'Wrong e-mail address or password.',
  'access.throttled': 'Too many attempts. Try again in {s} s.',
  'access.noUsers':
    'No account exists yet. Open the setup link printed when Vigie started, or create an administrator from the command line:',
  'access.twoFactor': 'Two-step verification',
  'access.twoFactorHelp': 'Enter the 6-digit code from your authenticator app, or a recovery code.',
  'access.code': 'Code',
  'access.verify': 'Verify',
  'access.badCode': 'Wrong code.',
  'access.setupTitle': 'Create the first administrator',
  'access.setupIntro':
    'This link works once. The account it creates administers Vigie: team, sources, channels and retention.',
  'access.setupInvalid':
    'This setup link was already used or has expired. Restart Vigie to get a new one while no account exists, or use npm run user.',
  'access.setupButton': 'Create the account',
  'access.invalidEmail': 'Invalid e-mail address.',
  'access.emailTaken': 'An account already uses this address.',
  'access.forbiddenTitle': 'Access denied',
  'access.forbiddenText': 'Your role does not allow this. Ask an administrator.',
}
