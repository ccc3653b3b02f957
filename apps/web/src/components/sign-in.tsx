'use client';
import { type FormEvent, useState } from 'react';
import { useServerUrl } from '../lib/app-config.tsx';
import { apiErrorMessage, createApi } from '../lib/api.ts';
import { saveSession } from '../lib/session-store.ts';

/** Passwordless: email -> 6-digit code (mailed, or printed in the server log) -> session token. */
export function SignIn() {
  const serverUrl = useServerUrl();
  const [step, setStep] = useState<'email' | 'code'>('email');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const requestCode = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await createApi(serverUrl, null).auth.requestCode.mutate({ email });
      setStep('code');
    } catch (failure) {
      setError(apiErrorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await createApi(serverUrl, null).auth.verifyCode.mutate({ email, code: code.trim() });
      saveSession({ token: result.token, user: result.user });
    } catch (failure) {
      setError(apiErrorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <div className="signin-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            ▞
          </span>{' '}
          Clapper
        </div>
        <p className="muted">Shot lists, stripboards and scripts for your crew — online or off.</p>
        {step === 'email' ? (
          <form onSubmit={requestCode} className="form-stack">
            <label className="field">
              <span>Work email</span>
              <input
                type="email"
                name="email"
                autoComplete="email"
                required
                autoFocus
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                placeholder="you@studio.com"
              />
            </label>
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? 'Sending…' : 'Email me a sign-in code'}
            </button>
          </form>
        ) : (
          <form onSubmit={verify} className="form-stack">
            <p>
              We sent a 6-digit code to <strong>{email}</strong>.
            </p>
            <label className="field">
              <span>Sign-in code</span>
              <input
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="\d{6}"
                maxLength={6}
                required
                autoFocus
                value={code}
                onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
                placeholder="123456"
              />
            </label>
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? 'Checking…' : 'Sign in'}
            </button>
            <button type="button" className="btn-link" onClick={() => setStep('email')}>
              Use a different email
            </button>
          </form>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
