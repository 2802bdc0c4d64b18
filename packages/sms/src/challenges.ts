// The push challenges are protocol, shared with the SDK and the web app: they live in @confidant/contracts.
export {
  APP_DEVELOPER_SECRET_INDEX,
  appSecretChallenge,
  requesterSecretChallenge,
  SMS_DOMAIN,
  web2SecretChallenge,
  web3SecretChallenge,
  type AppSecretChallengeParameters,
  type RequesterSecretChallengeParameters,
  type Web2SecretChallengeParameters,
  type Web3SecretChallengeParameters,
} from '@confidant/contracts';
