// Names for the shapes the console uses, all taken from the generated schema (schema.d.ts).
import type { operations } from './schema';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON body of an operation's success answer. */
export type Ok<O extends keyof operations> = operations[O]['responses'] extends infer R
  ? R extends { 200: infer A } ? Json<A> : R extends { 201: infer B } ? Json<B> : R extends { 202: infer C } ? Json<C> : never
  : never;
/** The JSON body an operation takes. */
export type Body<O extends keyof operations> = operations[O] extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;

export type SessionView = Ok<'getSession'>;
export type Permission = SessionView['permissions'][number];
export type School = Ok<'getSchools'>['schools'][number];
export type PolicyVersion = NonNullable<Ok<'getSchoolsSchoolIdPolicy'>['current']>;
export type PolicyDocument = PolicyVersion['document'];
export type Rule = PolicyDocument['rules'][number];
export type DraftView = Ok<'getSchoolsSchoolIdPolicyDraft'>;
export type Difference = DraftView['differences'][number];
export type ChangeRow = Ok<'getSchoolsSchoolIdPolicyChanges'>['changes'][number];
export type VersionEntry = Ok<'getSchoolsSchoolIdPolicyVersions'>['versions'][number];
export type Decision = Ok<'postExplain'>['decision'];
export type Person = Ok<'getSchoolsSchoolIdPeople'>['people'][number];
export type ConsoleAccount = Ok<'getAccounts'>['accounts'][number];
export type Network = Ok<'getSchoolsSchoolIdNetworks'>['networks'][number];
export type ActivitySummary = Ok<'getSchoolsSchoolIdActivitySummary'>;
export type ActivityEntry = Ok<'getSchoolsSchoolIdActivity'>['entries'][number];
export type ListInForce = Ok<'getSchoolsSchoolIdLists'>['lists'][number];
export type ListImportJob = Ok<'getSchoolsSchoolIdListsImportsJobId'>;
export type ListImportInput = Body<'postSchoolsSchoolIdListsImports'>;
export type Device = Ok<'getSchoolsSchoolIdDevices'>['devices'][number];
export type DeviceInput = Body<'postSchoolsSchoolIdDevices'>;
export type ImportPreview = Ok<'postSchoolsSchoolIdImportsPreview'>;
export type UnblockRequest = Ok<'getSchoolsSchoolIdUnblockrequestsMine'>['requests'][number];
export type UnblockForm = Ok<'getSchoolsSchoolIdUnblockrequestsForm'>;
