import type { AdmissionStep } from '../admission/AdmissionStep.js';
import { readDocumentRefusal, toDocumentError } from './trustedDocumentsPlugin.js';

/**
 * The trusted-documents refusal as the first admission step of the operation stage: a request the manifest
 * refused (recorded by trustedDocumentsPlugin before Apollo read it) is refused before authorization, cost or
 * rate limits judge — or charge — anything.
 */
export function trustedDocumentsStep(): AdmissionStep {
  return {
    name: 'trustedDocuments',
    checkOperation({ context }) {
      const refusal = readDocumentRefusal(context);
      if (refusal) throw toDocumentError(refusal);
    },
  };
}
