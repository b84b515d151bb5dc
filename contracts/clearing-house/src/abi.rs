//! The clearing house's external functions: one declaration each, the source of
//! the selectors [`crate::router`] matches and of the exported interface
//! (`interfaces/IClearingHouse.sol`).
#![allow(missing_docs)]

strata_common::sol_functions! {
    function openPosition(address amm, uint8 side, uint256 margin, uint256 leverage, uint256 baseAssetAmountLimit) external;
    function closePosition(address amm, uint256 quoteAssetAmountLimit) external;
    function partialClose(address amm, uint256 partialCloseRatio, uint256 quoteAssetAmountLimit) external;
    function addMargin(address amm, uint256 amount) external;
    function removeMargin(address amm, uint256 amount) external;
    function liquidate(address amm, address trader) external;
    function payFunding(address amm) external;
    function adjustK(address amm, uint256 multiplier) external;
    function setEngine(address engine) external;
    function addMarket(address amm) external;
    function removeMarket(address amm) external;
    function setRiskParameters(uint256 initMarginRatio, uint256 maintenanceMarginRatio, uint256 liquidationFeeRatio, uint256 partialLiquidationRatio, uint256 spreadLimitRatio) external;
    function setBackstopLiquidator(address account, bool isBackstop) external;
    function setPaused(bool paused) external;
    function getPosition(address amm, address trader) external view returns (int256 size, uint256 margin, uint256 openNotional, int256 lastUpdatedCumulativePremiumFraction, uint256 blockNumber);
    function getPositionWithFundingPayment(address amm, address trader) external view returns (int256 size, uint256 margin, uint256 badDebt, int256 fundingPayment);
    function getPositionNotionalAndUnrealizedPnl(address amm, address trader, uint8 pnlCalcOption) external view returns (uint256 notional, int256 unrealizedPnl);
    function getMarginRatio(address amm, address trader) external view returns (int256);
    function getLatestCumulativePremiumFraction(address amm) external view returns (int256);
    function getMarket(address amm) external view returns (bool listed, int256 cumulativePremiumFraction, uint64 lastRestrictionBlock, uint256 openInterestNotional, uint256 openPositions);
    function getRiskParameters() external view returns (uint256 initMarginRatio, uint256 maintenanceMarginRatio, uint256 liquidationFeeRatio, uint256 partialLiquidationRatio, uint256 spreadLimitRatio);
    function isBackstopLiquidator(address account) external view returns (bool);
    function getState() external view returns (address vault, address engine, bool paused, uint256 openPositions);
    function owner() external view returns (address);
    function pendingOwner() external view returns (address);
    function transferOwnership(address newOwner) external;
    function acceptOwnership() external;
    function renounceOwnership() external;
}
