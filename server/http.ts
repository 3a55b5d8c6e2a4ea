/** The Express app: REST API under /api, the built web client everywhere else. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import helmet from 'helmet';
import type { LoginThrottle } from './accounts/login-throttle';
import type { Sessions } from './accounts/sessions';
import type { Hocuspocus } from '@hocuspocus/server';
import { attachmentsRouter } from './api/attachments';
import { auditRouter } from './api/audit';
import { loginRoute, requireCsrfToken, requireSession, sessionRouter } from './api/auth';
import { compareRouter, storedContents } from './api/compare';
import { dossiersRouter } from './api/dossiers';
import { exportRouter, type ExportDeps } from './api/export';
import { errorResponse, notFound } from './api/errors';
import { healthRouter, type ReadinessCheck } from './api/health';
import { historyRouter } from './api/history';
import { templatesRouter } from './api/templates';
import { departmentsRouter, usersRouter } from './api/users';
import { workflowRouter } from './api/workflow';
import type { Workflow } from './workflow/workflow';
import type { Editor } from './collab/presence';
import type { DraftingHistory } from './history/drafting-history';
import { searchRouter } from './api/search';
import type { Search } from './search/search';
import type { Storage } from './storage/storage';
import type { TemplateRegistry } from './templates/loader';
import { requestLog } from './api/request-log';

export function createHttpApp(deps: {
  storage: Storage;
  templates: TemplateRegistry;
  clientDir: string;
  version: string;
  editors: () => Map<string, Editor[]>;
  sessions: Sessions;
  throttle: LoginThrottle;
  sessionTtlMs: number;
  trustProxy: boolean | number | string;
  onUserChanged: (userId: string) => Promise<void>;
  exports: Omit<ExportDeps, 'storage' | 'templates'>;
  workflow: Workflow;
  history: DraftingHistory;
  search: Search;
  /** What `/api/health/ready` checks. */
  readiness: ReadinessCheck[];
  /** The files of Anlagen: written into the live Anlagen document, at most `maxBytes` each. */
  attachments: { hocuspocus: Hocuspocus; maxBytes: number };
}) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);
  app.use(requestLog());
  app.use(securityHeaders(Boolean(deps.trustProxy)));

  const api = express.Router();
  api.use(express.json({ limit: '1mb', strict: true }));
  api.use('/health', healthRouter({ version: deps.version, storage: deps.storage, readiness: deps.readiness }));
  api.post('/auth/login', loginRoute(deps));
  // everything below needs a session, and state-changing requests the CSRF token
  api.use(requireSession(deps.sessions), requireCsrfToken);
  api.use('/auth', sessionRouter(deps));
  api.use('/departments', departmentsRouter(deps.storage));
  api.use('/users', usersRouter(deps.storage, deps.onUserChanged));
  api.use('/audit', auditRouter(deps.storage, deps.templates));
  api.use('/templates', templatesRouter(deps.templates));
  api.use('/search', searchRouter(deps.search));
  api.use('/dossiers', dossiersRouter(deps.storage, deps.templates, deps.editors, deps.workflow));
  api.use('/dossiers', workflowRouter(deps.storage, deps.workflow));
  api.use('/dossiers', exportRouter({ storage: deps.storage, templates: deps.templates, ...deps.exports }));
  api.use('/dossiers', compareRouter(deps.storage, deps.templates, storedContents(deps.storage)));
  api.use('/dossiers', historyRouter({ storage: deps.storage, templates: deps.templates, history: deps.history }));
  api.use('/dossiers', attachmentsRouter({ storage: deps.storage, workflow: deps.workflow, ...deps.attachments }));
  api.use(notFound);
  api.use(errorResponse);
  app.use(
    '/api',
    (_req, res, next) => {
      res.set('Cache-Control', 'no-store');
      next();
    },
    api,
  );

  const index = join(deps.clientDir, 'index.html');
  if (existsSync(index)) {
    app.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));
    app.use((req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      res.sendFile(index);
    });
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain; charset=utf-8').send('Ratsdossier läuft. Die Web-Oberfläche ist nicht gebaut: npm run build.');
    });
  }
  app.use(errorResponse);
  return app;
}

/**
 * Browser security headers. The client loads everything from this origin; `connect-src 'self'` covers the
 * same-origin WebSocket. No inline styles or scripts at all: React, ProseMirror and the collaboration carets
 * set styles through CSSOM (allowed), Tiptap's base CSS is a file (injectCSS off). HSTS and upgrading
 * requests only behind a TLS proxy (TRUST_PROXY): a plain-HTTP installation must stay reachable.
 */
function securityHeaders(tls: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(tls ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: tls ? { maxAge: 365 * 24 * 3600 } : false,
    xFrameOptions: { action: 'deny' },
  });
}
