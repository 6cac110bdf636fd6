/**
 * Must NOT compile: `auth` values that are none of the accepted forms. Each `// expect` comment
 * names the diagnostic the next line must produce (the types test checks code and text).
 */
import axios from 'axios';
import { BasicAuth, withAuth } from 'axios-auth-flow';

const client = withAuth(axios.create());

export async function wrongForms(): Promise<void> {
  // expect TS2769: Type 'number' is not assignable to type 'AuthOption | null'
  await client.get('/', { auth: 42 });
  // expect TS2769: Type '[string]' is not assignable to type 'AuthOption | null'
  await client.post('/', {}, { auth: ['a'] });
  // expect TS2769: Type '{ username: string; }' is not assignable to type 'AuthOption | null'
  await client.request({ url: '/', auth: { username: 'x' } });
  // expect TS2769: Type '[string, string, string]' is not assignable to type 'AuthOption | null'
  await client({ url: '/', auth: ['a', 'b', 'c'] });
  // expect TS2769: Type 'string' is not assignable to type 'AuthOption | null'
  await client('/', { auth: 'secret' });
  // expect TS2769: Type 'typeof BasicAuth' is not assignable to type 'AuthOption | null'
  await client.get('/', { auth: BasicAuth });
  // expect TS2769: Type 'undefined' is not assignable to type 'AuthOption | null'
  await client.get('/', { auth: undefined });
}

// expect TS2769: Type 'number' is not assignable to type 'AuthOption | null'
export const wrongClient = axios.create({ auth: 42 });
// expect TS2769: Type '{ username: string; }' is not assignable to type 'AuthOption | null'
export const halfCredentials = axios.create({ auth: { username: 'x' } });
