/**
 * Must NOT compile: auth classes and functions of the wrong shape, and misuse of `history`.
 * Each `// expect` comment names the diagnostic the next line must produce.
 */
import axios from 'axios';
import { Auth, AuthRequest, BasicAuth, DigestAuth, withAuth, type AuthFlow } from 'axios-auth-flow';

export class YieldsAString extends Auth {
  override *authFlow(request: AuthRequest): AuthFlow {
    // expect TS2322: Type 'string' is not assignable to type 'FlowRequest'
    yield request.method;
  }
}

export class NotAGenerator extends Auth {
  // expect TS2416: Property 'authFlow' in type 'NotAGenerator' is not assignable
  override authFlow(request: AuthRequest): AuthRequest {
    return request;
  }
}

const client = withAuth(axios.create());

export async function misuse(): Promise<void> {
  // expect TS2769: Type 'string' is not assignable to type 'AuthRequest | Promise<AuthRequest>'
  await client.get('/', { auth: (request: AuthRequest) => request.method });
  // expect TS2769: Type 'AuthRequest' is not assignable to type 'string'
  await client.get('/', { auth: (request: string) => request });
  // expect TS2345: Argument of type 'string' is not assignable to parameter of type '{ username
  new BasicAuth('username');
  // expect TS2345: Property 'password' is missing in type '{ username: string; }'
  new DigestAuth({ username: 'olivia' });
  const response = await client.get('/', { auth: ['u', 'p'] });
  // expect TS2322: is not assignable to type 'string[]'
  const history: string[] = response.history;
  void history;
}
