import { DomainError, forbidden } from '../errors.js';

/** Errors about users, thrown by the use cases and by every UserStore adapter alike. */
export const userNotFound = () => new DomainError('USER.NOT_FOUND', 'No such user.');

export const emailTaken = () => new DomainError('USER.EMAIL_TAKEN', 'That email is already registered.');

export const wrongPassword = () => new DomainError('USER.WRONG_PASSWORD', 'The current password is wrong.');

export const adminOnly = () => forbidden('This needs the admin role.');

export const roleChangeNeedsAdmin = () => forbidden('Only an admin may change a role.');

export const statusChangeNeedsAdmin = () => forbidden('Only an admin may change a status.');

export const selfDisableRefused = () => forbidden('An admin cannot disable their own account; another admin can.');
