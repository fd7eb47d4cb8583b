import { Type, type Platform, type EntityProperty } from '@mikro-orm/core';
import type { AuthMethod } from '../../../domain/session/refresh-token.js';

/**
 * A session's authentication methods as one short column: the values joined by a space ('pwd otp',
 * 'hwk user mfa'). The longest set a login makes ('swk user mfa') is 12 characters of the 32.
 */
export class AmrType extends Type<AuthMethod[], string> {
  override convertToDatabaseValue(value: AuthMethod[] | string): string {
    return Array.isArray(value) ? value.join(' ') : value;
  }

  override convertToJSValue(value: string | AuthMethod[] | null): AuthMethod[] {
    if (Array.isArray(value)) return value;
    return value ? (value.split(' ') as AuthMethod[]) : ['pwd'];
  }

  override compareAsType(): string {
    return 'string';
  }

  override getColumnType(prop: EntityProperty, platform: Platform): string {
    return platform.getVarcharTypeDeclarationSQL({ length: prop.length ?? 32 });
  }
}
