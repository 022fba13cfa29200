/** Which application an operation acts on: the step's Application field, else the connection's. */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { NO_APPLICATION_MESSAGE } from './messages.js';

/** The step's application override, or `undefined` to use the connection's. */
export function applicationOverride(inputData: { applicationId?: string | undefined }): string | undefined {
  const value = inputData.applicationId?.trim();
  return value ? value : undefined;
}

/** The application the operation acts on. */
export function targetApplication(z: ZObject, bundle: Pick<Bundle, 'authData'>, inputData: { applicationId?: string | undefined }): string {
  const id = applicationOverride(inputData) ?? bundle.authData['applicationId']?.trim();
  if (!id) throw new z.errors.Error(NO_APPLICATION_MESSAGE, 'InvalidConnection', 400);
  return id;
}
