/** The platform's two environments: the services each one's defaults point at. */
export const ENVIRONMENTS = {
  dev: {
    collector: 'https://api.data-dev.oslo.systems/event-collector',
    keycloak: 'https://login-test.oslo.kommune.no/auth',
  },
  prod: {
    collector: 'https://api.data.oslo.systems/event-collector',
    keycloak: 'https://login.oslo.kommune.no/auth',
  },
} as const;

export const LOCAL_COLLECTOR_URL = 'http://localhost:8081';
export const LOCAL_WEBSOCKET_URL = 'ws://localhost:8765';
export const LOCAL_KEYCLOAK_URL = 'http://localhost:8082';

type Environment = keyof typeof ENVIRONMENTS;
export const local = (get: (env: string) => unknown): boolean =>
  get('LOCAL_SERVICES_ONLY') === true;

/** A service's URL: the local stand-in's with LOCAL_SERVICES_ONLY, else the environment's. */
export const byEnvironment =
  (service: 'collector' | 'keycloak', localUrl: string) => (get: (env: string) => unknown) =>
    local(get) ? localUrl : ENVIRONMENTS[get('OKDATA_ENVIRONMENT') as Environment][service];
