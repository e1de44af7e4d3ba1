// Which screen to show: the session's stage decides (sign in, give a code, enrol an app, or the
// console); the welcome link and the problem report work before anyone is signed in.
import { Loading } from './components/common';
import { MfaCodePage } from './pages/signin/MfaCodePage';
import { MfaEnrolmentPage } from './pages/signin/MfaEnrolmentPage';
import { ReportPage } from './pages/unblock/ReportPage';
import { SignInPage } from './pages/signin/SignInPage';
import { WelcomePage } from './pages/signin/WelcomePage';
import { useRoute } from './router';
import { useSession } from './session/session';
import { AppShell } from './shell/AppShell';

export function App() {
  const { state } = useSession();
  const [first, second] = useRoute();
  if (state.status === 'loading') return <Loading what="the console" />;
  // The block page's "report a problem" is for anyone, pupils included, who have no account.
  if (first === 'report') return <ReportPage />;
  if (first === 'welcome' && second && state.status === 'signed-out') return <WelcomePage token={second} />;
  if (state.status === 'signed-out') return <SignInPage notice={state.notice} />;
  if (state.view.stage === 'mfa-enrolment') return <MfaEnrolmentPage />;
  if (state.view.stage === 'mfa-code') return <MfaCodePage />;
  return <AppShell />;
}
